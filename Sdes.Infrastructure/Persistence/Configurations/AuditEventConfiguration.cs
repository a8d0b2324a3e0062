using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sdes.Domain.Audit;

namespace Sdes.Infrastructure.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Action).HasMaxLength(40);
        builder.Property(e => e.ActorName).HasMaxLength(120);
        builder.Property(e => e.SubjectType).HasMaxLength(40);
        builder.Property(e => e.SubjectId).HasMaxLength(64);
        builder.Property(e => e.SubjectReference).HasMaxLength(64);
        builder.Property(e => e.Fuel).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Detail).HasMaxLength(400);
        builder.HasIndex(e => new { e.OrganisationId, e.OccurredAt });
        builder.HasIndex(e => new { e.ActorUserId, e.OccurredAt });
        builder.HasIndex(e => e.OccurredAt);
    }
}
