using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Sdes.App.Features.Admin;
using Sdes.Domain.Organisations;

namespace Sdes.Tests.Components;

public sealed class AdminComponentTests : MudTestContext
{
    private IRenderedComponent<MudDialogProvider> RenderWithProviders() => Render<MudDialogProvider>();

    [Fact]
    public void RoleEditor_ForADno_AsksForTheDistributorId()
    {
        var role = new RoleForm { Role = MarketRole.Dno };
        var cut = Render<Sdes.App.Features.Operator.RoleEditor>(p => p.Add(x => x.Role, role));

        Assert.Contains(cut.FindAll("label"), l => l.TextContent.Trim() == "Distributor id");
        Assert.Contains("10 to 23", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("button[aria-label='Remove this role']"));
    }

    [Fact]
    public void RoleEditor_ForASupplier_HasNoDistributorId_AndCanBeRemoved()
    {
        var removed = false;
        var cut = Render<Sdes.App.Features.Operator.RoleEditor>(p => p
            .Add(x => x.Role, new RoleForm { Role = MarketRole.ElectricitySupplier })
            .Add(x => x.OnRemove, () => removed = true));

        Assert.DoesNotContain(cut.FindAll("label"), l => l.TextContent.Trim() == "Distributor id");
        cut.Find("button[aria-label='Remove this role']").Click();
        Assert.True(removed);
    }

    [Fact]
    public async Task NewUserDialog_WithEmptyFields_ShowsMessages_AndCreatesNothing()
    {
        var calls = 0;
        var provider = RenderWithProviders();
        await ShowNewUserDialogAsync(_ =>
        {
            calls++;
            return Task.FromResult<string?>(null);
        });

        provider.Find("form#new-user-form").Submit();

        provider.WaitForAssertion(() => Assert.Contains("Enter the person's name.", provider.Markup, StringComparison.Ordinal));
        Assert.Contains("Enter their work email address", provider.Markup, StringComparison.Ordinal);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task NewUserDialog_WhenTheUseCaseRefuses_ShowsWhy_AndKeepsWhatWasTyped()
    {
        var provider = RenderWithProviders();
        NewUserForm? received = null;
        await ShowNewUserDialogAsync(form =>
        {
            received = form;
            return Task.FromResult<string?>("someone@example.org already has an SDES account.");
        });

        InputByLabel(provider, "Full name").Input("Sam Someone");
        InputByLabel(provider, "Work email address").Input("someone@example.org");
        provider.Find("form#new-user-form").Submit();

        provider.WaitForAssertion(() => Assert.Contains("already has an SDES account", provider.Markup, StringComparison.Ordinal));
        Assert.Equal("Sam Someone", received?.DisplayName);
        Assert.Equal("someone@example.org", InputByLabel(provider, "Work email address").GetAttribute("value"));
    }

    [Fact]
    public async Task NewUserDialog_WithValidInput_CallsTheUseCase_AndCloses()
    {
        var provider = RenderWithProviders();
        NewUserForm? received = null;
        var result = await ShowNewUserDialogAsync(form =>
        {
            received = form;
            return Task.FromResult<string?>(null);
        });

        InputByLabel(provider, "Full name").Input("Ada Tester");
        InputByLabel(provider, "Work email address").Input("ada@example.org");
        provider.Find("input[type=checkbox]").Change(true);
        provider.Find("form#new-user-form").Submit();

        var closed = await result.Result;
        Assert.False(closed!.Canceled);
        Assert.Equal("ada@example.org", closed.Data);
        Assert.True(received!.GrantAdmin);
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("form#new-user-form")));
    }

    [Fact]
    public async Task TextPromptDialog_WithTooShortAValue_SaysSo()
    {
        var provider = RenderWithProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<TextPromptDialog>("Rename", new DialogParameters<TextPromptDialog>
        {
            { d => d.Title, "Rename user" }, { d => d.Label, "Full name" }, { d => d.Value, "Ada" },
        }));

        InputByLabel(provider, "Full name").Input("A");
        provider.FindAll("button").First(b => b.TextContent.Trim() == "Save").Click();

        provider.WaitForAssertion(() => Assert.Contains("Enter 2 to 120 characters.", provider.Markup, StringComparison.Ordinal));
    }

    private async Task<IDialogReference> ShowNewUserDialogAsync(Func<NewUserForm, Task<string?>> onCreate)
    {
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await Renderer.Dispatcher.InvokeAsync(async () => reference = await dialogs.ShowAsync<NewUserDialog>("Add user",
            new DialogParameters<NewUserDialog> { { d => d.OnCreate, onCreate } }));
        return reference!;
    }
}
