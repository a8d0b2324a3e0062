using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sdes.Domain.Communications;
using Sdes.Domain.Processes;

namespace Sdes.Infrastructure.Persistence.Configurations;

internal sealed class CommunicationConfiguration : IEntityTypeConfiguration<Communication>
{
    public void Configure(EntityTypeBuilder<Communication> builder)
    {
        builder.ToTable("Communications");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasIndex(c => c.ReferenceNumber).IsUnique();
        builder.Ignore(c => c.Reference);
        builder.Ignore(c => c.Sender);
        builder.Ignore(c => c.Recipient);
        builder.Ignore(c => c.RecipientHasRespondedAtCurrentLevel);
        builder.Property(c => c.Subject).HasMaxLength(Communication.MaxSubjectLength).IsRequired();
        builder.Property(c => c.Fuel).HasMaxLength(20);
        builder.Property(c => c.Status).HasMaxLength(20);
        builder.Property(c => c.LastMessageSide).HasMaxLength(20);
        builder.Property(c => c.AttachmentNames).HasMaxLength(2000);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<BusinessProcess>().WithMany().HasForeignKey(c => c.ProcessId).OnDelete(DeleteBehavior.Restrict);

        // Used by the retention job: the active ones whose last message is old, the archived ones archived long ago.
        builder.HasIndex(c => new { c.Status, c.LastMessageAt });
        builder.HasIndex(c => new { c.Status, c.ArchivedAt });

        builder.Property<Dictionary<string, string>>("_bespoke").HasColumnName("BespokeData").HasMaxLength(8000)
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => JsonSerializer.Deserialize<Dictionary<string, string>>(v, (JsonSerializerOptions?)null) ?? new(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                    v => new Dictionary<string, string>(v, StringComparer.Ordinal)));
        builder.Ignore(c => c.BespokeData);

        builder.HasMany(c => c.Parties).WithOne().HasForeignKey(p => p.CommunicationId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Parties).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.CommunicationId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Messages).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(c => c.Events).WithOne().HasForeignKey(e => e.CommunicationId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class CommunicationPartyConfiguration : IEntityTypeConfiguration<CommunicationParty>
{
    public void Configure(EntityTypeBuilder<CommunicationParty> builder)
    {
        builder.ToTable("CommunicationParties");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Property(p => p.Side).HasMaxLength(20);
        builder.Property(p => p.Mpid).HasMaxLength(4).IsRequired();
        builder.Property(p => p.Role).HasMaxLength(40);
        builder.Property(p => p.OwnerName).HasMaxLength(120);
        builder.Property(p => p.Tags).HasMaxLength(Communication.MaxTags * (Communication.MaxTagLength + 1));
        builder.Property(p => p.Status).HasMaxLength(20);
        // Unbounded on purpose: the subject, bespoke values, tags and message text (capped at 100,000 characters by the domain).
        builder.Property(p => p.SearchText).IsRequired();
        builder.Ignore(p => p.TagList);

        builder.HasIndex(p => new { p.CommunicationId, p.Side }).IsUnique();
        builder.HasIndex(p => new { p.CommunicationId, p.OrganisationId }).IsUnique();

        // The queue: one organisation's communications in date order, optionally one process or one owner.
        builder.HasIndex(p => new { p.OrganisationId, p.Status, p.LastMessageAt, p.Id });
        builder.HasIndex(p => new { p.OrganisationId, p.Status, p.CreatedAt, p.Id });
        builder.HasIndex(p => new { p.OrganisationId, p.ProcessId, p.Status, p.LastMessageAt });
        builder.HasIndex(p => new { p.OrganisationId, p.OwnerUserId, p.Status, p.LastMessageAt });
        builder.HasIndex(p => new { p.OrganisationId, p.CounterpartyOrganisationId, p.Status, p.LastMessageAt });
        // Unique (the two parties are different organisations); declared so, SQLite's planner (no statistics) knows an
        // equality on it yields one row and stops walking the date-ordered index instead (bench/README.md).
        builder.HasIndex(p => new { p.OrganisationId, p.ReferenceNumber }).IsUnique();
        // The archive badge (spec 13.3), counted on every page: covering, so the count never reads the table.
        builder.HasIndex(p => new { p.OrganisationId, p.Status, p.HasUnread, p.ProcessId });
    }
}

internal sealed class CommunicationMessageConfiguration : IEntityTypeConfiguration<CommunicationMessage>
{
    public void Configure(EntityTypeBuilder<CommunicationMessage> builder)
    {
        builder.ToTable("CommunicationMessages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.AuthorName).HasMaxLength(120).IsRequired();
        builder.Property(m => m.Side).HasMaxLength(20);
        builder.Property(m => m.Text).HasMaxLength(CommunicationMessage.MaxTextLength).IsRequired();
        builder.HasIndex(m => new { m.CommunicationId, m.SentAt });
        builder.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(m => m.Attachments).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class MessageAttachmentConfiguration : IEntityTypeConfiguration<MessageAttachment>
{
    public void Configure(EntityTypeBuilder<MessageAttachment> builder)
    {
        builder.ToTable("MessageAttachments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.FileName).HasMaxLength(255).IsRequired();
        builder.Property(a => a.Status).HasMaxLength(20);
    }
}

internal sealed class CommunicationEventConfiguration : IEntityTypeConfiguration<CommunicationEvent>
{
    public void Configure(EntityTypeBuilder<CommunicationEvent> builder)
    {
        builder.ToTable("CommunicationEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Kind).HasMaxLength(40);
        builder.Property(e => e.ActorName).HasMaxLength(120);
        builder.Property(e => e.Detail).HasMaxLength(400);
        builder.HasIndex(e => new { e.CommunicationId, e.OccurredAt });
    }
}
