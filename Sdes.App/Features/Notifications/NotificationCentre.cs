using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Shared;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Notifications;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Notifications;

public sealed record NotificationRow(Guid Id, string Reference, string ProcessName, NotificationKind Kind, int Level, DateTimeOffset CreatedAt,
    bool IsRead)
{
    public string Text => Kind switch
    {
        NotificationKind.NewCommunication => "New communication",
        NotificationKind.Escalated => $"Escalated to level {Level}",
        _ => $"New message at level {Level}",
    };
}

/// <summary>The bell (spec 10.1(f) in-app): the signed-in user's own notifications only.</summary>
public sealed class NotificationCentre(AdminOperation operation, TimeProvider time)
{
    public const int PageSize = 20;

    public Task<int> UnreadCountAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, c => c.Db.UserNotifications.CountAsync(n => n.UserId == c.Actor.User.Id && n.ReadAt == null, c.Ct), ct);

    public Task<IReadOnlyList<NotificationRow>> LatestAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var rows = await c.Db.UserNotifications.AsNoTracking().Where(n => n.UserId == c.Actor.User.Id)
                .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(PageSize).ToListAsync(c.Ct);
            return (IReadOnlyList<NotificationRow>)rows.Select(n => new NotificationRow(n.Id,
                Reference.Create(ReferenceKind.Communication, n.ReferenceNumber).Value, n.ProcessName, n.Kind, n.Level, n.CreatedAt,
                n.ReadAt is not null)).ToList();
        }, ct);

    public Task MarkReadAsync(ClaimsPrincipal principal, Guid notificationId, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var notification = await c.Db.UserNotifications.FirstOrDefaultAsync(n => n.Id == notificationId && n.UserId == c.Actor.User.Id, c.Ct)
                ?? throw new NotFoundException();
            notification.MarkRead(time.GetUtcNow());
        }, ct);

    public Task MarkAllReadAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var now = time.GetUtcNow();
            await c.Db.UserNotifications.Where(n => n.UserId == c.Actor.User.Id && n.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), c.Ct);
        }, ct);
}

/// <summary>Spec 10.1(f) "visited since": opening SDES or moving to another page in it stamps <c>LastVisitAt</c>, at most once a
/// minute per user on this node, so navigation costs no database write most of the time.</summary>
public sealed class VisitRecorder(IDbContextFactory<SdesDbContext> contexts, TimeProvider time)
{
    public static readonly TimeSpan Throttle = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastWritten = new();

    /// <summary>Returns true if it wrote.</summary>
    public async Task<bool> RecordAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (_lastWritten.TryGetValue(userId, out var last) && now - last < Throttle)
        {
            return false;
        }

        _lastWritten[userId] = now;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastVisitAt, now), ct);
        return true;
    }
}

/// <summary>Circuit-scoped: pages tell the bell that the user's notifications changed (e.g. opening a communication read
/// its notifications), so it refreshes without a bus round trip for every other user.</summary>
public sealed class NotificationSignal
{
    public event Func<Task>? Changed;

    public Task RaiseAsync() => Changed?.Invoke() ?? Task.CompletedTask;
}

public static class NotificationsFeature
{
    public static IServiceCollection AddNotificationsFeature(this IServiceCollection services) => services
        .AddScoped<NotificationSignal>()
        .AddSingleton<NotificationPreferences>()
        .AddSingleton<NotificationCentre>()
        .AddSingleton<VisitRecorder>();
}
