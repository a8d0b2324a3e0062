using System.Globalization;
using Sdes.Domain.Metering;
using Sdes.Domain.Processes;

namespace Sdes.Domain.Communications;

/// <summary>The values a sender gives for a process's bespoke data items (spec 10.1(c)vii), each checked against its
/// field's type and stored in a normal form: MPANs as their 13-digit core, dates as yyyy-MM-dd, money as 0.00.</summary>
public static class BespokeValues
{
    public const int MaxTextLength = 200;
    public const decimal MaxMoney = 100_000_000m;

    /// <summary>Field-level errors keyed by field key (empty when valid), and the normalised values.</summary>
    public static (IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Errors) Validate(
        BusinessProcess process, IReadOnlyDictionary<string, string?> input) => Validate(process.Name, process.BespokeFields, input);

    public static (IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Errors) Validate(
        string processName, IReadOnlyList<BespokeFieldDefinition> fields, IReadOnlyDictionary<string, string?> input)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in input.Keys.Where(k => fields.All(f => f.Key != k)))
        {
            errors[key] = $"{processName} has no data item '{Shorten(key)}'.";
        }

        foreach (var field in fields)
        {
            var raw = input.TryGetValue(field.Key, out var v) ? (v ?? string.Empty).Trim() : string.Empty;
            if (raw.Length == 0)
            {
                if (field.Required)
                {
                    errors[field.Key] = $"Enter the {field.Label}.";
                }

                continue;
            }

            var (value, error) = Normalise(field, raw);
            if (error is not null)
            {
                errors[field.Key] = error;
            }
            else
            {
                values[field.Key] = value!;
            }
        }

        return (values, errors);
    }

    /// <summary>How a stored value reads to a person (MPANs spaced, money with a pound sign, dates as 1 Mar 2026).</summary>
    public static string Display(BespokeFieldType type, string value) => type switch
    {
        BespokeFieldType.Mpan when Mpan.TryCreate(value, out var mpan, out _) => mpan!.Formatted,
        BespokeFieldType.Money when decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var m) =>
            m.ToString("£#,##0.00", CultureInfo.InvariantCulture),
        BespokeFieldType.Date when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) =>
            d.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        _ => value,
    };

    private static (string? Value, string? Error) Normalise(BespokeFieldDefinition field, string raw)
    {
        switch (field.Type)
        {
            case BespokeFieldType.Mpan:
                return Mpan.TryCreate(raw, out var mpan, out var mpanError) ? (mpan!.Core, null) : (null, mpanError);
            case BespokeFieldType.Mprn:
                return Mprn.TryCreate(raw, out var mprn, out var mprnError) ? (mprn!.Value, null) : (null, mprnError);
            case BespokeFieldType.Date:
                if (!DateOnly.TryParseExact(raw, ["yyyy-MM-dd", "d/M/yyyy", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return (null, $"Enter the {field.Label} as a date, e.g. 2026-03-31.");
                }

                return date.Year is < 2000 or > 2099
                    ? (null, $"The {field.Label} must be between 2000 and 2099.")
                    : (date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null);
            case BespokeFieldType.Money:
                var text = raw.Replace("£", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal).Trim();
                if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var money)
                    || decimal.Round(money, 2) != money)
                {
                    return (null, $"Enter the {field.Label} in pounds and pence, e.g. 125.50.");
                }

                return money is < 0 or > MaxMoney
                    ? (null, $"The {field.Label} must be between £0.00 and £{MaxMoney:#,##0}.")
                    : (money.ToString("0.00", CultureInfo.InvariantCulture), null);
            case BespokeFieldType.Choice:
                var choice = field.Choices.FirstOrDefault(c => string.Equals(c, raw, StringComparison.OrdinalIgnoreCase));
                return choice is null ? (null, $"Choose one of: {string.Join(", ", field.Choices)}.") : (choice, null);
            case BespokeFieldType.Text:
                if (raw.Length > MaxTextLength)
                {
                    return (null, $"The {field.Label} is at most {MaxTextLength} characters.");
                }

                return raw.Any(char.IsControl) ? (null, $"The {field.Label} cannot contain control characters.") : (raw, null);
            default:
                return (null, $"The {field.Label} has an unknown type.");
        }
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
