using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sdes.Domain.Processes;

namespace Sdes.Infrastructure.Persistence.Configurations;

/// <summary>Routes, levels and bespoke fields are small, always read with the process, and never queried into:
/// stored as JSON text so that all three providers map them the same way.</summary>
internal sealed class BusinessProcessConfiguration : IEntityTypeConfiguration<BusinessProcess>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<BusinessProcess> builder)
    {
        builder.ToTable("BusinessProcesses");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Code).HasMaxLength(60).IsRequired();
        builder.HasIndex(p => p.Code).IsUnique();
        builder.Property(p => p.Name).HasMaxLength(120).IsRequired();
        builder.Property(p => p.Fuel).HasMaxLength(20);
        builder.Property(p => p.Version).IsConcurrencyToken();

        builder.Property<List<ProcessRoute>>("_routes").HasColumnName("Routes").HasMaxLength(2000)
            .HasConversion(v => JsonSerializer.Serialize(v.Select(r => new RouteDto(r.A, r.B)), Json),
                v => (JsonSerializer.Deserialize<List<RouteDto>>(v, Json) ?? new()).Select(d => new ProcessRoute(d.A, d.B)).ToList(),
                ListComparer<ProcessRoute>());
        builder.Property<List<ResponseWindow?>>("_levels").HasColumnName("Levels").HasMaxLength(2000)
            .HasConversion(v => JsonSerializer.Serialize(v.Select(l => l == null ? null : new WindowDto(l.Amount, l.Unit)), Json),
                v => (JsonSerializer.Deserialize<List<WindowDto?>>(v, Json) ?? new())
                    .Select(d => d == null ? null : ResponseWindow.Create(d.Amount, d.Unit)).ToList(),
                ListComparer<ResponseWindow?>());
        builder.Property<List<BespokeFieldDefinition>>("_fields").HasColumnName("BespokeFields").HasMaxLength(8000)
            .HasConversion(v => JsonSerializer.Serialize(v.Select(f => new FieldDto(f.Key, f.Label, f.Type, f.Required, f.Choices.ToList())), Json),
                v => (JsonSerializer.Deserialize<List<FieldDto>>(v, Json) ?? new())
                    .Select(d => BespokeFieldDefinition.Create(d.Key, d.Label, d.Type, d.Required, d.Choices)).ToList(),
                ListComparer<BespokeFieldDefinition>());
        builder.Ignore(p => p.Routes);
        builder.Ignore(p => p.Levels);
        builder.Ignore(p => p.BespokeFields);
    }

    private static ValueComparer<List<T>> ListComparer<T>() => new(
        (a, b) => a!.SequenceEqual(b!),
        v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x)),
        v => v.ToList());

    private sealed record RouteDto(PartyKind A, PartyKind B);

    private sealed record WindowDto(int Amount, WindowUnit Unit);

    private sealed record FieldDto(string Key, string Label, BespokeFieldType Type, bool Required, List<string> Choices);
}
