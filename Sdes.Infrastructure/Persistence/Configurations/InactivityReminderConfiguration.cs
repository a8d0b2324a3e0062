using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sdes.Infrastructure.Identity;

namespace Sdes.Infrastructure.Persistence.Configurations;

internal sealed class InactivityReminderConfiguration : IEntityTypeConfiguration<InactivityReminder>
{
    public void Configure(EntityTypeBuilder<InactivityReminder> builder)
    {
        builder.ToTable("InactivityReminders");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Recipient).HasMaxLength(20);
        // At most one email per user, countdown, day and recipient, even if two runs race past the "already sent?" check.
        builder.HasIndex(r => new { r.UserId, r.CycleAnchor, r.Day, r.Recipient }).IsUnique()
            .HasDatabaseName("UX_InactivityReminders_User_Cycle_Day_Recipient");
        builder.HasOne<SdesUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
