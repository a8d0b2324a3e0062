using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Identity;

namespace Sdes.Infrastructure.Persistence;

/// <summary>The one database of SDES. Each provider has a thin subclass with its own migrations.</summary>
public abstract class SdesDbContext : IdentityDbContext<SdesUser, IdentityRole<Guid>, Guid>
{
    protected SdesDbContext(DbContextOptions options) : base(options) { }

    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<BusinessProcess> BusinessProcesses => Set<BusinessProcess>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AccountSecret> AccountSecrets => Set<AccountSecret>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Sequences.ReferenceSequence> ReferenceSequences => Set<Sequences.ReferenceSequence>();
    public DbSet<Communication> Communications => Set<Communication>();
    public DbSet<CommunicationParty> CommunicationParties => Set<CommunicationParty>();
    public DbSet<CommunicationMessage> CommunicationMessages => Set<CommunicationMessage>();
    public DbSet<CommunicationEvent> CommunicationEvents => Set<CommunicationEvent>();
    public DbSet<Domain.Attachments.Attachment> Attachments => Set<Domain.Attachments.Attachment>();
    public DbSet<InactivityReminder> InactivityReminders => Set<InactivityReminder>();
    public DbSet<Notifications.UserNotification> UserNotifications => Set<Notifications.UserNotification>();
    public DbSet<Notifications.EmailConfirmation> EmailConfirmations => Set<Notifications.EmailConfirmation>();

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(SdesDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<OrganisationId>().HaveConversion<OrganisationIdConverter>();
        configurationBuilder.Properties<UserId>().HaveConversion<UserIdConverter>();
        configurationBuilder.Properties<ProcessId>().HaveConversion<ProcessIdConverter>();
        configurationBuilder.Properties<CommunicationId>().HaveConversion<CommunicationIdConverter>();
        configurationBuilder.Properties<Domain.Attachments.AttachmentId>().HaveConversion<AttachmentIdConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnly();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnly();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void GuardAppendOnly()
    {
        if (ChangeTracker.Entries<AuditEvent>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit events are append-only.");
        }
    }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}
