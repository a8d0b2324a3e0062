using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Attachments;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Metering;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;
using Sdes.Infrastructure.Persistence.Sequences;

namespace Sdes.App.Hosting;

/// <summary>Development only: a living SDEP queue for the demo organisations, spread over processes, levels, both
/// directions, read and unread, active, archived and archived-with-unread (spec 13.3). Deterministic, so screenshots and
/// walkthroughs are repeatable.</summary>
internal static class DemoCommunications
{
    private static readonly string[] Openers =
    [
        "Customer called to say they have been transferred in error.",
        "Please can you confirm the reading you used on the change of supply date?",
        "We have a prepayment customer whose top-up went to the wrong supplier.",
        "The address held for this metering point does not match the customer's.",
        "Can you confirm the disconnection was completed as requested?",
        "We are raising this on behalf of the customer; details in the data items.",
    ];

    private static readonly string[] Replies =
    [
        "Thanks, we are looking into this and will come back to you.",
        "Confirmed on our side. We have updated our records.",
        "We need a copy of the customer's latest bill before we can proceed.",
        "Our field team attended on Tuesday; reading attached to our system.",
        "We disagree with the reading; please see our evidence.",
    ];

    public static async Task SeedAsync(SdesDbContext db, IReadOnlyDictionary<string, SdesUser[]> people, DateTimeOffset now,
        AttachmentIngestor ingestor, CancellationToken ct)
    {
        var random = new Random(20261125);
        var organisations = await db.Organisations.AsNoTracking().Where(o => !o.IsServiceProvider).ToListAsync(ct);
        var catalogue = await db.BusinessProcesses.AsNoTracking().ToListAsync(ct);
        var calendar = OperationalCalendar.Default;
        var senders = organisations.Where(o => o.Roles.Any(r => r.Role.IsSupplier())).ToList();
        var created = 0;
        for (var i = 0; i < 70; i++)
        {
            var sender = senders[i % senders.Count];
            var fromRole = sender.Roles[random.Next(sender.Roles.Count)];
            var routes = (from p in catalogue
                          from o in organisations
                          where o.Id != sender.Id && p.Involves(fromRole.Role)
                          from r in o.Roles
                          where p.AllowsRoute(fromRole.Role, r.Role)
                          select (Process: p, Recipient: o, Role: r)).ToList();
            if (routes.Count == 0)
            {
                continue;
            }

            var (process, recipient, toRole) = routes[random.Next(routes.Count)];
            // Most communications are recent; some are old enough to be archived.
            var sentAt = now - TimeSpan.FromHours(i < 50 ? random.Next(1, 24 * 20) : random.Next(24 * 35, 24 * 50));
            var author = people[sender.Name][random.Next(2)];
            var replier = people[recipient.Name][random.Next(2)];

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var reference = await ReferenceAllocator.NextAsync(db, ReferenceKind.Communication, ct);
            // Some active ones carry files, through the real pipeline (scanned by the local clamd, or pending until it answers).
            var files = i < 50 && i % 6 == 0 ? await DemoFilesAsync(db, ingestor, author, i, sentAt, ct) : [];
            var communication = Communication.Send(reference, process, author.Ref, sender, fromRole, recipient, toRole,
                Subject(process, random), Openers[random.Next(Openers.Length)], i % 4 == 0 ? $"CASE-{1000 + i}" : null,
                Bespoke(process, random), sentAt, files.Select(f => new AttachedFile(f.Id.Value, f.FileName, f.SizeBytes, f.Status)).ToList());
            foreach (var file in files)
            {
                file.AttachTo(communication.Messages[0].Id, author.Ref, sentAt);
            }

            var at = sentAt;
            var exchanges = random.Next(0, 4);
            for (var m = 0; m < exchanges; m++)
            {
                at += TimeSpan.FromHours(random.Next(1, 30));
                if (at >= now)
                {
                    break;
                }

                var fromRecipient = m % 2 == 0;
                var (who, org) = fromRecipient ? (replier, recipient) : (author, sender);
                communication.AddMessage(who.Ref, org, process, Replies[random.Next(Replies.Length)], null, at);
                if (random.Next(3) == 0)
                {
                    communication.RecordView(people[(fromRecipient ? sender : recipient).Name][0].Ref, at + TimeSpan.FromMinutes(20));
                }
            }

            if (process.CanEscalate && i % 5 == 1 && communication.CheckEscalation(sender.Id, process, now, calendar).Allowed)
            {
                communication.Escalate(author.Ref, sender, process, now - TimeSpan.FromHours(2), calendar);
            }

            if (i % 3 == 0)
            {
                communication.AssignOwner(replier.Ref, recipient, process, replier.Ref, at);
            }

            communication.ArchiveIfIdle(now);
            db.Communications.Add(communication);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            created++;
        }
    }

    private static async Task<List<Attachment>> DemoFilesAsync(SdesDbContext db, AttachmentIngestor ingestor, SdesUser author, int i,
        DateTimeOffset at, CancellationToken ct)
    {
        var csv = new System.Text.StringBuilder("MPAN,Meter serial,Read date,Register,Reading\r\n");
        for (var row = 0; row < 40; row++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{ValidMpan(new Random(i * 100 + row))},E{i:00}Z{row:000000},2026-10-{1 + (row % 28):00},1,{10000 + (row * 37)}\r\n");
        }

        var files = new List<Attachment>();
        foreach (var (name, bytes) in new[] { ($"meter-readings-{i}.csv", System.Text.Encoding.UTF8.GetBytes(csv.ToString())), ("site-notes.txt", "Site visit notes: meter cupboard locked; key held by the landlord.\n"u8.ToArray()) }.Take(i % 12 == 0 ? 2 : 1))
        {
            var file = await ingestor.IngestAsync(new MemoryStream(bytes), AttachmentFileName.Parse(name), AttachmentModule.Communications,
                AttachmentPolicy.Communications.MaxFileBytes, author.Ref, at, null, ct);
            db.Attachments.Add(file);
            files.Add(file);
        }

        return files;
    }

    private static string Subject(BusinessProcess process, Random random) => process.Code switch
    {
        "erroneous-transfers" => $"ET: customer objects to transfer (ref {random.Next(10000, 99999)})",
        "disputed-cos-readings" => "Disputed opening read on change of supply",
        "electricity-disconnections" => "Disconnection request: vacant property",
        "mp-address-management" => "Address correction for new build plot",
        "smart-ppm-cos-exceptions" => "Smart PPM credit not migrated at CoS",
        "debt-assignment-protocol" => "DAP: debt assignment for outgoing customer",
        "prepayment-misdirected-payments" => "Misdirected top-up to be returned",
        _ => $"{process.Name}: query {random.Next(100, 999)}",
    };

    private static Dictionary<string, string?> Bespoke(BusinessProcess process, Random random)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in process.BespokeFields.Where(f => f.Required || random.Next(2) == 0))
        {
            values[field.Key] = field.Type switch
            {
                BespokeFieldType.Mpan => ValidMpan(random),
                BespokeFieldType.Mprn => random.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture),
                BespokeFieldType.Date => new DateOnly(2026, random.Next(1, 11), random.Next(1, 28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                BespokeFieldType.Money => (random.Next(500, 250_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture),
                BespokeFieldType.Choice => field.Choices[random.Next(field.Choices.Count)],
                _ => "A. Customer",
            };
        }

        return values;
    }

    private static string ValidMpan(Random random)
    {
        var first12 = random.Next(10, 24).ToString(CultureInfo.InvariantCulture)
            + random.NextInt64(1_000_000_000L, 9_999_999_999L).ToString(CultureInfo.InvariantCulture);
        return first12 + Mpan.CheckDigit(first12).ToString(CultureInfo.InvariantCulture);
    }
}
