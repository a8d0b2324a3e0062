using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Audit;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Account;

public enum SignInOutcome
{
    Success,
    MustSetPassword,
    Failed,
}

/// <summary>Sign-in, first password and password change for the static account pages (they run inside an HTTP request,
/// so the cookie can be written). Each outcome and its audit event are saved in one transaction.</summary>
public sealed class SignInService(
    UserManager<SdesUser> users,
    SignInManager<SdesUser> signIn,
    SdesDbContext db,
    IPasswordHasher<SdesUser> hasher,
    UserAccessRevocations revocations,
    SecurityOptions security,
    TimeProvider time,
    ILogger<SignInService> logger)
{
    private static string? _dummyHash;

    public async Task<SignInOutcome> SignInAsync(string email, string password, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Same work and the same answer as a wrong password, so the response does not reveal who has an account.
            _dummyHash ??= hasher.HashPassword(new SdesUser(), Guid.NewGuid().ToString());
            hasher.VerifyHashedPassword(new SdesUser(), _dummyHash, password);
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.SignInFailed, now, null, null, detail: "unknown account"));
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Sign-in failed for an unknown account");
            return SignInOutcome.Failed;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var outcome = user.IsDisabled ? await FailAsync(user, now, "account disabled", countFailure: false, ct)
            : user.MustSetPassword ? await SignInWithSecretAsync(user, password, now, ct)
            : await SignInWithPasswordAsync(user, password, now, ct);
        await tx.CommitAsync(ct);

        if (outcome == SignInOutcome.Success)
        {
            await signIn.SignInWithClaimsAsync(user, isPersistent: false, [SignedInAtClaim(now)]);
        }
        else if (outcome == SignInOutcome.MustSetPassword)
        {
            var until = (now + security.PasswordSetupSessionLifetime).UtcTicks.ToString(CultureInfo.InvariantCulture);
            await signIn.SignInWithClaimsAsync(user, isPersistent: false, [SignedInAtClaim(now), new Claim(SdesClaims.MustSetPassword, until)]);
        }

        logger.LogInformation("Sign-in for user {UserId}: {Outcome}", user.Id, outcome);
        return outcome;
    }

    private async Task<SignInOutcome> SignInWithPasswordAsync(SdesUser user, string password, DateTimeOffset now, CancellationToken ct)
    {
        var wasLockedOut = await users.IsLockedOutAsync(user);
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            if (result.IsLockedOut && !wasLockedOut)
            {
                db.AuditEvents.Add(AuditEvent.Record(AuditAction.AccountLockedOut, now, user.Ref, user.OrganisationId, "User", user.Id.ToString()));
            }

            return await FailAsync(user, now, result.IsLockedOut ? "locked out" : "wrong password", countFailure: false, ct);
        }

        user.LastSignInAt = now;
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.SignInSucceeded, now, user.Ref, user.OrganisationId, "User", user.Id.ToString()));
        await users.UpdateAsync(user);
        return SignInOutcome.Success;
    }

    private async Task<SignInOutcome> SignInWithSecretAsync(SdesUser user, string typed, DateTimeOffset now, CancellationToken ct)
    {
        if (await users.IsLockedOutAsync(user))
        {
            return await FailAsync(user, now, "locked out", countFailure: false, ct);
        }

        var normalised = AccountSecretGenerator.Normalise(typed);
        var candidates = await db.AccountSecrets
            .Where(s => s.UserId == user.Id && s.UsedAt == null && s.RevokedAt == null && s.ExpiresAt > now)
            .ToListAsync(ct);
        var match = candidates.FirstOrDefault(s => normalised.Length > 0
            && hasher.VerifyHashedPassword(user, s.SecretHash, normalised) != PasswordVerificationResult.Failed);

        // Consumed with a conditional update, so two simultaneous sign-ins cannot both use it.
        var consumed = match is not null && await db.AccountSecrets
            .Where(s => s.Id == match.Id && s.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedAt, now), ct) == 1;
        if (!consumed)
        {
            return await FailAsync(user, now, "wrong or used one-time password", countFailure: true, ct);
        }

        user.LastSignInAt = now;
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.SignInWithSetupSecret, now, user.Ref, user.OrganisationId, "User", user.Id.ToString()));
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateAsync(user);
        return SignInOutcome.MustSetPassword;
    }

    private async Task<SignInOutcome> FailAsync(SdesUser user, DateTimeOffset now, string reason, bool countFailure, CancellationToken ct)
    {
        if (countFailure)
        {
            await users.AccessFailedAsync(user);
            if (await users.IsLockedOutAsync(user))
            {
                db.AuditEvents.Add(AuditEvent.Record(AuditAction.AccountLockedOut, now, user.Ref, user.OrganisationId, "User", user.Id.ToString()));
            }
        }

        db.AuditEvents.Add(AuditEvent.Record(AuditAction.SignInFailed, now, user.Ref, user.OrganisationId, "User", user.Id.ToString(), detail: reason));
        await db.SaveChangesAsync(ct);
        return SignInOutcome.Failed;
    }

    /// <summary>Sets the first password in a one-time-secret session. Returns the errors to show, or none.</summary>
    public async Task<IReadOnlyList<string>> SetFirstPasswordAsync(ClaimsPrincipal principal, string password, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var user = await users.GetUserAsync(principal);
        if (user is null || !user.MustSetPassword || user.IsDisabled || SetupSessionExpired(principal, now))
        {
            await signIn.SignOutAsync();
            return ["Your one-time sign-in has expired. Sign in again with your one-time password, or ask your administrator for a new one."];
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await users.HasPasswordAsync(user)
            ? await ReplacePasswordAsync(user, password)
            : await users.AddPasswordAsync(user, password);
        if (!result.Succeeded)
        {
            return result.Errors.Select(e => e.Description).ToList();
        }

        user.MustSetPassword = false;
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.PasswordSet, now, user.Ref, user.OrganisationId, "User", user.Id.ToString(), detail: "first password"));
        await users.UpdateAsync(user);
        await tx.CommitAsync(ct);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [SignedInAtClaim(now)]);
        return [];
    }

    public async Task<IReadOnlyList<string>> ChangePasswordAsync(ClaimsPrincipal principal, string current, string password, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return ["Your session has ended. Sign in again."];
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await users.ChangePasswordAsync(user, current, password);
        if (!result.Succeeded)
        {
            return result.Errors.Select(e => e.Code == "PasswordMismatch" ? "Your current password is not correct." : e.Description).ToList();
        }

        db.AuditEvents.Add(AuditEvent.Record(AuditAction.PasswordSet, now, user.Ref, user.OrganisationId, "User", user.Id.ToString(), detail: "changed"));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // Every other session of this user ends; this one continues with a fresh cookie.
        revocations.Revoke(user.Id, now);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [SignedInAtClaim(now.AddTicks(1))]);
        return [];
    }

    public async Task SignOutAsync(ClaimsPrincipal principal, bool everywhere, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var user = await users.GetUserAsync(principal);
        if (user is not null)
        {
            db.AuditEvents.Add(AuditEvent.Record(everywhere ? AuditAction.SignedOutEverywhere : AuditAction.SignedOut, now, user.Ref,
                user.OrganisationId, "User", user.Id.ToString()));
            if (everywhere)
            {
                await users.UpdateSecurityStampAsync(user);
                revocations.Revoke(user.Id, now);
            }
            else
            {
                await db.SaveChangesAsync(ct);
            }
        }

        await signIn.SignOutAsync();
    }

    private async Task<IdentityResult> ReplacePasswordAsync(SdesUser user, string password)
    {
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded)
            {
                return check;
            }
        }

        var removed = await users.RemovePasswordAsync(user);
        return removed.Succeeded ? await users.AddPasswordAsync(user, password) : removed;
    }

    private static bool SetupSessionExpired(ClaimsPrincipal principal, DateTimeOffset now) =>
        !long.TryParse(principal.FindFirstValue(SdesClaims.MustSetPassword), out var until) || now.UtcTicks > until;

    private static Claim SignedInAtClaim(DateTimeOffset at) =>
        new(SdesClaims.SignedInAt, at.UtcTicks.ToString(CultureInfo.InvariantCulture));
}
