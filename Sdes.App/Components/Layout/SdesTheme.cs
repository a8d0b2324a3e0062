using MudBlazor;

namespace Sdes.App.Components.Layout;

public static class SdesTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b5394",
            Secondary = "#00796b",
            AppbarBackground = "#0b3a66",
            Background = "#f6f8fa",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#79b0ea",
            Secondary = "#4db6ac",
            AppbarBackground = "#10263d",
        },
    };
}

/// <summary>Circuit-scoped theme choice: follows the system until the user picks one.</summary>
public sealed class ThemeState
{
    public bool IsDark { get; private set; }
    public bool ChosenByUser { get; private set; }

    public event Action? Changed;

    public void Toggle()
    {
        IsDark = !IsDark;
        ChosenByUser = true;
        Changed?.Invoke();
    }

    public void FollowSystem(bool dark)
    {
        if (ChosenByUser || IsDark == dark)
        {
            return;
        }

        IsDark = dark;
        Changed?.Invoke();
    }
}
