using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Infrastructure.Persistence;

internal sealed class OrganisationIdConverter() : ValueConverter<OrganisationId, Guid>(v => v.Value, v => new OrganisationId(v));

internal sealed class UserIdConverter() : ValueConverter<UserId, Guid>(v => v.Value, v => new UserId(v));

internal sealed class ProcessIdConverter() : ValueConverter<ProcessId, Guid>(v => v.Value, v => new ProcessId(v));

/// <summary>SQLite cannot order or compare DateTimeOffset; we store UTC ticks, which sort and compare correctly.</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

internal sealed class CommunicationIdConverter() : ValueConverter<CommunicationId, Guid>(v => v.Value, v => new CommunicationId(v));

internal sealed class AttachmentIdConverter() : ValueConverter<Domain.Attachments.AttachmentId, Guid>(v => v.Value, v => new Domain.Attachments.AttachmentId(v));
