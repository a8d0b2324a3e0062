using Sdes.Domain.Common;

namespace Sdes.Domain.Processes;

public enum BespokeFieldType
{
    Mpan,
    Mprn,
    Date,
    Money,
    Text,
    Choice,
}

/// <summary>A typed data item a process asks for when a communication is sent (spec 10.1(c)vii).</summary>
public sealed record BespokeFieldDefinition
{
    private BespokeFieldDefinition(string key, string label, BespokeFieldType type, bool required, IReadOnlyList<string> choices)
    {
        Key = key;
        Label = label;
        Type = type;
        Required = required;
        Choices = choices;
    }

    public string Key { get; }
    public string Label { get; }
    public BespokeFieldType Type { get; }
    public bool Required { get; }
    public IReadOnlyList<string> Choices { get; }

    public static BespokeFieldDefinition Create(string key, string label, BespokeFieldType type, bool required, IEnumerable<string>? choices = null)
    {
        key = (key ?? string.Empty).Trim();
        label = (label ?? string.Empty).Trim();
        DomainException.ThrowIf(key.Length is 0 or > 40 || !key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'),
            "A field key is 1-40 lower-case letters, digits or hyphens.");
        DomainException.ThrowIf(label.Length is 0 or > 80, "A field label is 1-80 characters.");
        DomainException.ThrowIf(!Enum.IsDefined(type), "Choose a field type.");
        var list = (choices ?? []).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        DomainException.ThrowIf(type == BespokeFieldType.Choice && list.Count < 2, $"The choice field '{label}' needs at least two options.");
        DomainException.ThrowIf(type != BespokeFieldType.Choice && list.Count > 0, $"Only choice fields have options; '{label}' is {type}.");
        DomainException.ThrowIf(list.Any(c => c.Length > 80), "Each option is at most 80 characters.");
        return new BespokeFieldDefinition(key, label, type, required, list);
    }
}
