using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Email;

namespace Sdes.Infrastructure.Identity;

/// <summary>A process level an inactive user holds, and whether they are the last user there (spec 2.8).</summary>
public sealed record HeldLevel(string ProcessName, int Level, bool LastUser)
{
    public override string ToString() => $"{ProcessName} level {Level}";
}

/// <summary>The inactivity emails of spec 2.7(b) and 2.8. Each returns an outbox row for the caller to add in the same
/// transaction as its reminder record. Bodies name only the recipient and the user about to be deleted: no email addresses.</summary>
public sealed class InactivityMailer(IConfiguration configuration, IWebHostEnvironment environment)
{
    public const string UserKind = "inactivity-reminder";
    public const string MasterAdminKind = "inactivity-mau-notice";

    private static readonly TimeZoneInfo Uk = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");
    private readonly EmailTemplates _templates = new(Path.Combine(environment.WebRootPath, "email-templates"));

    private string SignInUrl => (configuration["App:PublicBaseUrl"] ?? "http://127.0.0.1:5077").TrimEnd('/') + "/account/sign-in";

    /// <summary>The deletion instant as the emails and the dashboard show it, e.g. "Friday 4 December 2026 at 10:00 UK time".</summary>
    public static string UkText(DateTimeOffset utc) =>
        TimeZoneInfo.ConvertTime(utc, Uk).ToString("dddd d MMMM yyyy 'at' HH:mm", EnGb) + " UK time";

    public OutboxMessage ReminderToUser(SdesUser user, Organisation organisation, DateTimeOffset anchor, int day, DateTimeOffset now)
    {
        // The MAU is never deleted automatically (ADR 0011), so their reminder must not threaten a deletion.
        var isMasterAdmin = organisation.IsMasterAdmin(user.UserId);
        var content = _templates.Render("inactivity-reminder", new Dictionary<string, string>
        {
            ["DisplayName"] = user.DisplayName,
            ["DaysInactive"] = day.ToString(CultureInfo.InvariantCulture),
            ["CountdownText"] = isMasterAdmin
                ? $"As the Master Admin User of {organisation.Name} your account is not deleted automatically, but {organisation.Name} "
                  + "relies on it: please sign in."
                : $"Your account as an Authorised Representative of {organisation.Name} will be deleted {DaysLeft(day)}, on "
                  + $"{UkText(InactivityCountdown.DeletionDueAt(anchor))}, unless you sign in before then.",
            ["ClosingText"] = isMasterAdmin
                ? "If you are leaving, ask the SDES service desk to name another Master Admin User."
                : "If you no longer need SDES, you need do nothing. Your organisation's SDES administrator has been told.",
            ["SignInUrl"] = SignInUrl,
        });
        return OutboxMessage.Create(UserKind, user.Email!, user.DisplayName, content.Subject, content.Text, content.Html, now);
    }

    public OutboxMessage NoticeToMasterAdmin(SdesUser masterAdmin, SdesUser user, Organisation organisation, DateTimeOffset anchor, int day,
        IReadOnlyList<HeldLevel> levels, DateTimeOffset now)
    {
        var lastAt = levels.Where(l => l.LastUser).ToList();
        var content = _templates.Render("inactivity-mau-notice", new Dictionary<string, string>
        {
            ["DisplayName"] = masterAdmin.DisplayName,
            ["OrganisationName"] = organisation.Name,
            ["UserName"] = user.DisplayName,
            ["DaysInactive"] = day.ToString(CultureInfo.InvariantCulture),
            ["DaysLeftText"] = DaysLeft(day),
            ["DeletionDateText"] = UkText(InactivityCountdown.DeletionDueAt(anchor)),
            ["LevelsText"] = levels.Count == 0 ? "None."
                : string.Join("\n", levels.Select(l => "- " + l + (l.LastUser ? " (LAST USER at this level)" : string.Empty))),
            ["LastUserText"] = lastAt.Count == 0
                ? "Nobody else's cover depends on this account: every level above has another user."
                : $"{user.DisplayName} is the last user at {string.Join(", ", lastAt)}. If the account is deleted, you become the default "
                  + "contact for those levels (spec 2.7(c)). To avoid that, assign another Authorised Representative on Process assignments.",
            ["SignInUrl"] = SignInUrl,
        });
        return OutboxMessage.Create(MasterAdminKind, masterAdmin.Email!, masterAdmin.DisplayName, content.Subject, content.Text, content.Html, now);
    }

    private static string DaysLeft(int day) => (InactivityCountdown.DeletionDay - day) switch
    {
        1 => "in 1 day",
        var n => $"in {n} days",
    };
}
