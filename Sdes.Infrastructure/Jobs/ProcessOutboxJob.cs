using Quartz;
using Sdes.Infrastructure.Email;

namespace Sdes.Infrastructure.Jobs;

/// <summary>Sends due outbox emails. Never runs twice at once, on one node or across a clustered store.</summary>
[DisallowConcurrentExecution]
internal sealed class ProcessOutboxJob(OutboxProcessor processor) : IJob
{
    public static readonly JobKey Key = new("process-outbox", "email");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await processor.ProcessDueAsync(cancellationToken);
}
