using System.Security.Claims;
using Sdes.App.Features.Admin;
using Sdes.Infrastructure.Email;

namespace Sdes.App.Features.Operator;

/// <summary>The operator's view of the email outbox: what is waiting, what failed for good, and a manual retry.</summary>
public sealed class EmailDelivery(AdminOperation operation, OutboxAdmin outbox)
{
    public Task<(OutboxSummary Summary, IReadOnlyList<FailedEmailRow> Failed)> GetAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            RequireOperator(c);
            return (await outbox.SummaryAsync(c.Db, c.Ct), await outbox.ListFailedAsync(c.Db, c.Ct));
        }, ct);

    public Task RetryAsync(ClaimsPrincipal principal, Guid id, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            RequireOperator(c);
            await outbox.RequeueAsync(c.Db, id, c.Actor.Ref, c.Ct);
        }, ct);

    private static void RequireOperator(AdminContext c)
    {
        if (!c.Actor.IsOperator)
        {
            throw c.Deny("Operator", "email-delivery");
        }
    }
}
