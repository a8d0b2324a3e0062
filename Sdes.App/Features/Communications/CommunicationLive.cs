using Sdes.Infrastructure.Notifications;

namespace Sdes.App.Features.Communications;

/// <summary>Circuit-scoped: the activity that concerns this user's organisation, relayed from the bus by
/// <see cref="LiveCommunications"/> in the layout, for the open list and detail pages to refresh on.</summary>
public sealed class CommunicationLive
{
    public event Func<CommunicationActivity, Task>? Activity;

    public async Task RaiseAsync(CommunicationActivity activity)
    {
        if (Activity is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<CommunicationActivity, Task>>())
            {
                await handler(activity);
            }
        }
    }
}
