using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Sdes.App.Features.Admin;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;

namespace Sdes.Tests.Integration;

/// <summary>One running app per test class, with its bootstrapped operator signed up, and helpers that set up
/// organisations and users through the real use cases.</summary>
public class AppFixture : IAsyncLifetime
{
    public const string StrongPassword = "Violet-Harbour-Lantern-81";

    public SdesAppFactory App { get; private set; } = default!;
    public SdesUser Operator { get; private set; } = default!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        App = new SdesAppFactory(Settings);
        _ = App.BaseAddress;
        var mail = await App.Mailbox.WaitForAsync(SdesAppFactory.OperatorEmail);
        using var session = App.NewSession();
        await session.SignInAsync(SdesAppFactory.OperatorEmail, Mailbox.OneTimePassword(mail));
        var set = await session.SetFirstPasswordAsync(StrongPassword);
        if (set.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("The bootstrapped operator could not set a password.");
        }

        Operator = await App.FindUserAsync(SdesAppFactory.OperatorEmail);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>An organisation with an electricity supplier role and its MAU, who has signed up with <see cref="StrongPassword"/>.</summary>
    public async Task<(Guid OrganisationId, SdesUser Mau)> CreateOrganisationWithMauAsync(string name, string mpid, string mauEmail,
        MarketRole role = MarketRole.ElectricitySupplier, string? distributorId = null)
    {
        var orgs = App.Service<OrganisationAdministration>();
        var op = SdesAppFactory.PrincipalFor(Operator);
        var form = new NewOrganisationForm { Name = name, Roles = [new RoleForm { Mpid = mpid, Role = role, DistributorId = distributorId }] };
        var id = await orgs.CreateAsync(op, form);
        await orgs.CreateMasterAdminAsync(op, id, new NewUserForm { DisplayName = "Mau " + mpid, Email = mauEmail });
        await SignUpAsync(mauEmail);
        return (id, await App.FindUserAsync(mauEmail));
    }

    /// <summary>Signs in with the emailed one-time password and chooses <see cref="StrongPassword"/>.</summary>
    public async Task SignUpAsync(string email)
    {
        var mail = await App.Mailbox.WaitForAsync(email);
        using var session = App.NewSession();
        await session.SignInAsync(email, Mailbox.OneTimePassword(mail));
        var set = await session.SetFirstPasswordAsync(StrongPassword);
        if (set.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"{email} could not set a password.");
        }
    }

    public async Task<SdesUser> CreateUserAsync(SdesUser admin, Guid organisationId, string email, bool signUp = true)
    {
        await App.Service<UserAdministration>().CreateAsync(SdesAppFactory.PrincipalFor(admin), new OrganisationId(organisationId),
            new NewUserForm { DisplayName = "User " + email.Split('@')[0], Email = email });
        if (signUp)
        {
            await SignUpAsync(email);
        }

        return await App.FindUserAsync(email);
    }

    /// <summary>The MAU assigns a user of their organisation to a process level (by process code).</summary>
    public async Task AssignAsync(SdesUser mau, SdesUser user, string processCode, params int[] levels)
    {
        var processId = await App.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions
            .SingleAsync(db.BusinessProcesses.Where(p => p.Code == processCode), p => true));
        foreach (var level in levels)
        {
            await App.Service<UserAdministration>().SetAssignmentAsync(SdesAppFactory.PrincipalFor(mau), user.Id, processId.Id.Value, level, assigned: true);
        }
    }

    public async Task<bool> IsLockedOutAsync(string email)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>();
        return await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!);
    }
}
