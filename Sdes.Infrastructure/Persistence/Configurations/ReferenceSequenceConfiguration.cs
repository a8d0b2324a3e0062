using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Persistence.Sequences;

namespace Sdes.Infrastructure.Persistence.Configurations;

internal sealed class ReferenceSequenceConfiguration : IEntityTypeConfiguration<ReferenceSequence>
{
    public void Configure(EntityTypeBuilder<ReferenceSequence> builder)
    {
        builder.ToTable("ReferenceSequences");
        builder.HasKey(s => s.Prefix);
        builder.Property(s => s.Prefix).HasMaxLength(8);
        // Seeded so that allocation is always a single UPDATE: a first-use INSERT race would abort a PostgreSQL transaction.
        builder.HasData(
            new { Prefix = ReferenceKind.Communication.Prefix, LastNumber = 0L },
            new { Prefix = ReferenceKind.CrossedMeterCase.Prefix, LastNumber = 0L },
            new { Prefix = ReferenceKind.MeteringPointRequest.Prefix, LastNumber = 0L });
    }
}
