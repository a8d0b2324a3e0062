using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sdes.Infrastructure.Email;

namespace Sdes.Infrastructure.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Kind).HasMaxLength(60).IsRequired();
        builder.Property(m => m.ToAddress).HasMaxLength(254).IsRequired();
        builder.Property(m => m.ToName).HasMaxLength(120);
        builder.Property(m => m.Subject).HasMaxLength(200).IsRequired();
        builder.Property(m => m.TextBody).HasMaxLength(100_000);
        builder.Property(m => m.HtmlBody).HasMaxLength(200_000);
        builder.Property(m => m.Status).HasMaxLength(20);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.Property(m => m.ProviderMessageId).HasMaxLength(200);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
    }
}
