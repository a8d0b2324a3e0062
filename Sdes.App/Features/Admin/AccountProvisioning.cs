using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Admin;

/// <summary>Creates accounts and issues one-time passwords (spec 2.3). Callers own the transaction; nothing here saves
/// except through UserManager inside that transaction.</summary>
public sealed class AccountProvisioning(AccountSetupMailer mailer, SecurityOptions security, TimeProvider time)
{
    public async Task<SdesUser> CreateAsync(UserManager<SdesUser> users, SdesDbContext db, Organisation organisation, string email,
        string displayName, UserRef? actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        email = NormaliseEmail(email);
        displayName = NormaliseName(displayName);
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new DomainException($"{email} already has an SDES account. A person can be an Authorised Representative of one organisation only (spec 2.3).");
        }

        var user = new SdesUser
        {
            Id = Guid.CreateVersion7(now),
            UserName = email,
            Email = email,
            DisplayName = displayName,
            OrganisationId = organisation.Id,
            CreatedAt = now,
            MustSetPassword = true,
        };
        IdentityResult result;
        try
        {
            result = await users.CreateAsync(user);
        }
        catch (DbUpdateException)
        {
            throw new DomainException($"{email} already has an SDES account. A person can be an Authorised Representative of one organisation only (spec 2.3).");
        }

        if (!result.Succeeded)
        {
            throw new DomainException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        db.AuditEvents.Add(AuditEvent.Record(AuditAction.UserCreated, now, actor, organisation.Id, "User", user.Id.ToString(), displayName));
        await IssueSecretAsync(users, db, user, organisation, actor, ct);
        return user;
    }

    /// <summary>Revokes any earlier one-time password and emails a new one through the outbox (same transaction).</summary>
    public async Task IssueSecretAsync(UserManager<SdesUser> users, SdesDbContext db, SdesUser user, Organisation organisation, UserRef? actor,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var earlier = await db.AccountSecrets.Where(s => s.UserId == user.Id && s.UsedAt == null && s.RevokedAt == null).ToListAsync(ct);
        earlier.ForEach(s => s.Revoke(now));

        var secret = AccountSecretGenerator.Generate();
        // The same hasher (and iteration count) as passwords: the secret is a password that works once.
        var issued = AccountSecret.Issue(user.Id, users.PasswordHasher.HashPassword(user, AccountSecretGenerator.Normalise(secret)), now,
            security.SetupSecretLifetime);
        db.AccountSecrets.Add(issued);
        mailer.Enqueue(db, user, organisation, secret, issued.ExpiresAt);
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.SetupSecretIssued, now, actor, organisation.Id, "User", user.Id.ToString(), user.DisplayName));
    }

    public static string NormaliseEmail(string? email)
    {
        var value = (email ?? string.Empty).Trim();
        DomainException.ThrowIf(value.Length is 0 or > 254 || !new EmailAddressAttribute().IsValid(value) || value.Any(char.IsControl)
            || !value.Contains('.', StringComparison.Ordinal), "Enter a valid email address, like name@example.com.");
        return value;
    }

    public static string NormaliseName(string? name)
    {
        var value = (name ?? string.Empty).Trim();
        DomainException.ThrowIf(value.Length is < 2 or > 120, "A name is 2 to 120 characters.");
        DomainException.ThrowIf(value.Any(char.IsControl) || value.Any(c => c is '<' or '>'), "A name cannot contain control characters or < >.");
        return value;
    }
}
