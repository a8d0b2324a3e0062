using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;

namespace Sdes.Infrastructure.Persistence.Configurations;

internal sealed class SdesUserConfiguration : IEntityTypeConfiguration<SdesUser>
{
    public void Configure(EntityTypeBuilder<SdesUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(120).IsRequired();
        builder.Property(u => u.Email).HasMaxLength(254);
        // One person, one account, one organisation (spec 2.3): an email address is unique across SDES.
        builder.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName("UX_Users_NormalizedEmail");
        builder.HasIndex(u => u.OrganisationId);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        // Existing accounts get Never (the spec's default), not an empty string the enum cannot read.
        builder.Property(u => u.EmailFrequency).HasDefaultValue(Notifications.EmailFrequency.Never);
        builder.Ignore(u => u.UserId);
        builder.Ignore(u => u.Ref);
    }
}

internal sealed class AccountSecretConfiguration : IEntityTypeConfiguration<AccountSecret>
{
    public void Configure(EntityTypeBuilder<AccountSecret> builder)
    {
        builder.ToTable("AccountSecrets");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.SecretHash).HasMaxLength(200).IsRequired();
        builder.HasIndex(s => s.UserId);
        builder.HasOne<SdesUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
