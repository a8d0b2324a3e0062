using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Infrastructure.Notifications;

public enum CommunicationActivityKind
{
    Sent,
    MessageAdded,
    Escalated,
    OwnerChanged,
    TagsChanged,
    Archived,
    Reactivated,
    Viewed,
    Deleted,

    /// <summary>A file on one of its messages passed the virus scan (it can now be downloaded).</summary>
    FileScanned,

    /// <summary>A file was removed from a message: infected or unscannable. The actor organisation is the uploader's.</summary>
    FileRemoved,
}

/// <summary>Something happened to a communication. It carries ids, the reference and the process only, never content, so
/// it is safe to fan out to every node (and to show in a toast).</summary>
public sealed record CommunicationActivity(
    CommunicationId CommunicationId,
    long ReferenceNumber,
    ProcessId ProcessId,
    string ProcessName,
    CommunicationActivityKind Kind,
    OrganisationId ActorOrganisationId,
    OrganisationId SenderOrganisationId,
    OrganisationId RecipientOrganisationId,
    int Level)
{
    /// <summary>The organisation that something arrived at: the other party for a message, the recipient when it was sent
    /// or escalated. Null for changes that only refresh views (owner, tags, archive).</summary>
    public OrganisationId? ArrivedAt => Kind switch
    {
        CommunicationActivityKind.Sent or CommunicationActivityKind.Escalated => RecipientOrganisationId,
        CommunicationActivityKind.MessageAdded => ActorOrganisationId == SenderOrganisationId ? RecipientOrganisationId : SenderOrganisationId,
        _ => null,
    };

    public bool Concerns(OrganisationId organisation) => organisation == SenderOrganisationId || organisation == RecipientOrganisationId;
}

/// <summary>Publishes communication activity to the open browsers of the organisations concerned. In-process for one node;
/// a Redis implementation replaces it when SDES runs on several nodes (ARCHITECTURE.md).</summary>
public interface ICommunicationBus
{
    Task PublishAsync(CommunicationActivity activity, CancellationToken ct = default);

    IDisposable Subscribe(Func<CommunicationActivity, Task> handler);
}

public sealed class InProcessCommunicationBus : ICommunicationBus
{
    private readonly Lock _gate = new();
    private ImmutableHandlers _handlers = new([]);

    public async Task PublishAsync(CommunicationActivity activity, CancellationToken ct = default)
    {
        foreach (var handler in _handlers.List)
        {
            try
            {
                await handler(activity);
            }
#pragma warning disable CA1031 // One broken subscriber (e.g. a circuit going away) must not stop delivery to the others.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    public IDisposable Subscribe(Func<CommunicationActivity, Task> handler)
    {
        lock (_gate)
        {
            _handlers = new([.. _handlers.List, handler]);
        }

        return new Subscription(this, handler);
    }

    private void Unsubscribe(Func<CommunicationActivity, Task> handler)
    {
        lock (_gate)
        {
            _handlers = new([.. _handlers.List.Where(h => h != handler)]);
        }
    }

    private sealed record ImmutableHandlers(IReadOnlyList<Func<CommunicationActivity, Task>> List);

    private sealed class Subscription(InProcessCommunicationBus bus, Func<CommunicationActivity, Task> handler) : IDisposable
    {
        public void Dispose() => bus.Unsubscribe(handler);
    }
}
