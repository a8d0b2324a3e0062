using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sdes.Domain.Attachments;

namespace Sdes.Infrastructure.Persistence.Configurations;

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> builder)
    {
        builder.ToTable("Attachments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Module).HasMaxLength(30);
        builder.Property(a => a.FileName).HasMaxLength(255).IsRequired();
        builder.Property(a => a.Extension).HasMaxLength(10).IsRequired();
        builder.Property(a => a.UploadedByName).HasMaxLength(120).IsRequired();
        builder.Property(a => a.Status).HasMaxLength(20);
        builder.Property(a => a.ScanDetail).HasMaxLength(Attachment.MaxDetailLength);
        builder.Property(a => a.KeyId).HasMaxLength(64).IsRequired();
        builder.Property(a => a.WrappedKey).HasMaxLength(128).IsRequired();
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Ignore(a => a.IsDownloadable);
        builder.Ignore(a => a.IsRefused);
        // The retry job: pending files due for a scan.
        builder.HasIndex(a => new { a.Status, a.NextScanAt });
        // The sweeper: uploads never attached.
        builder.HasIndex(a => new { a.OwnerId, a.UploadedAt });
        builder.HasIndex(a => a.KeyId);
    }
}
