using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Admin;

/// <summary>One admin use case: its own DI scope (a fresh DbContext and UserManager, as Blazor Server needs), the actor
/// as the database says now, and one transaction committed only if the whole use case succeeds.</summary>
public sealed class AdminOperation(IServiceScopeFactory scopes, TimeProvider time)
{
    public Task<T> RunAsync<T>(ClaimsPrincipal principal, Func<AdminContext, Task<T>> work, CancellationToken ct = default) =>
        ExecuteAsync(principal, work, write: true, ct);

    /// <summary>A read-only use case: no transaction and nothing saved (denied attempts are still audited).</summary>
    public Task<T> QueryAsync<T>(ClaimsPrincipal principal, Func<AdminContext, Task<T>> work, CancellationToken ct = default) =>
        ExecuteAsync(principal, work, write: false, ct);

    private async Task<T> ExecuteAsync<T>(ClaimsPrincipal principal, Func<AdminContext, Task<T>> work, bool write, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        var actor = await Actor.LoadAsync(principal, db, ct);
        var context = new AdminContext(actor, db, scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>(), ct);
        try
        {
            if (!write)
            {
                return await work(context);
            }

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var result = await work(context);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return result;
        }
        catch (NotFoundException) when (context.Denials.Count > 0)
        {
            // The use case rolled back; the attempt to reach another organisation's data is still recorded.
            db.ChangeTracker.Clear();
            var now = time.GetUtcNow();
            db.AuditEvents.AddRange(context.Denials.Select(d =>
                AuditEvent.Record(AuditAction.AccessDenied, now, actor.Ref, actor.Organisation.Id, d.SubjectType, d.SubjectId)));
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    public Task RunAsync(ClaimsPrincipal principal, Func<AdminContext, Task> work, CancellationToken ct = default) =>
        RunAsync(principal, async c =>
        {
            await work(c);
            return true;
        }, ct);
}

public sealed record AdminContext(Actor Actor, SdesDbContext Db, UserManager<SdesUser> Users, CancellationToken Ct)
{
    public List<(string SubjectType, string SubjectId)> Denials { get; } = [];

    /// <summary>Records an attempt to reach something the actor may not see, and returns the not-found to throw.</summary>
    public NotFoundException Deny(string subjectType, string subjectId)
    {
        Denials.Add((subjectType, subjectId));
        return new NotFoundException();
    }
}
