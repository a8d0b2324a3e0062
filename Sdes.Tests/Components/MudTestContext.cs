using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Sdes.Tests.Components;

/// <summary>bUnit with MudBlazor registered. MudBlazor's services are async-disposable only, so disposal goes through
/// IAsyncLifetime (RECIPES.md).</summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    protected MudTestContext()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    /// <summary>The input a visible label names, as a screen reader would find it.</summary>
    protected static IElement InputByLabel<T>(IRenderedComponent<T> cut, string label) where T : Microsoft.AspNetCore.Components.IComponent
    {
        var element = cut.FindAll("label").FirstOrDefault(l => l.TextContent.Trim() == label)
            ?? throw new InvalidOperationException($"No label '{label}'. Labels: {string.Join(", ", cut.FindAll("label").Select(l => l.TextContent.Trim()))}");
        var id = element.GetAttribute("for") ?? throw new InvalidOperationException($"Label '{label}' is not associated with an input.");
        return cut.Find($"#{id}");
    }
}
