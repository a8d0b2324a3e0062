using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Infrastructure.Persistence.Configurations;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.ToTable("Organisations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Name).HasMaxLength(120).IsRequired();
        builder.HasIndex(o => o.Name).IsUnique();
        builder.Property(o => o.Version).IsConcurrencyToken();

        builder.OwnsMany(o => o.Roles, role =>
        {
            role.ToTable("OrganisationRoles");
            role.WithOwner().HasForeignKey("OrganisationId");
            role.Property<int>("Id");
            role.HasKey("Id");
            role.Property(r => r.Mpid).HasConversion(v => v.Value, v => Mpid.Create(v)).HasMaxLength(4).IsRequired();
            role.Property(r => r.Role).HasMaxLength(40);
            role.Property(r => r.DistributorId).HasConversion(v => v!.Value, v => DistributorId.Create(v)).HasMaxLength(2);
            // An MPID in a given role belongs to one organisation only.
            role.HasIndex(r => new { r.Mpid, r.Role }).IsUnique();
        });
        builder.Navigation(o => o.Roles).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(o => o.Assignments, a =>
        {
            a.ToTable("ProcessAssignments");
            a.WithOwner().HasForeignKey("OrganisationId");
            a.HasKey("OrganisationId", nameof(ProcessAssignment.ProcessId), nameof(ProcessAssignment.Level), nameof(ProcessAssignment.UserId));
            a.HasIndex(x => x.UserId);
            a.HasOne<BusinessProcess>().WithMany().HasForeignKey(x => x.ProcessId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Navigation(o => o.Assignments).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
