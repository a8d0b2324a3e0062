using Sdes.Domain.Common;
using Sdes.Domain.Organisations;

namespace Sdes.Domain.Processes;

/// <summary>A regulated business process carried over SDEP, with its escalation levels and response windows.</summary>
public sealed class BusinessProcess
{
    private List<ProcessRoute> _routes = [];
    private List<ResponseWindow?> _levels = [];
    private List<BespokeFieldDefinition> _fields = [];

    private BusinessProcess() { }

    public ProcessId Id { get; private set; }

    /// <summary>Stable slug, e.g. <c>erroneous-transfers</c>.</summary>
    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;
    public Fuel Fuel { get; private set; }

    /// <summary>Quick-response processes email the receiving level within minutes whatever their preference (spec fn 5).</summary>
    public bool QuickResponse { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<ProcessRoute> Routes => _routes;

    /// <summary>Response window per escalation level; index 0 is level 1. Null means no window (no escalation).</summary>
    public IReadOnlyList<ResponseWindow?> Levels => _levels;

    public IReadOnlyList<BespokeFieldDefinition> BespokeFields => _fields;

    public int TopLevel => _levels.Count;

    /// <summary>Spec 10.1(e) names these: they never escalate, whatever levels the catalogue gives them.</summary>
    public static readonly IReadOnlySet<string> NeverEscalate =
        new HashSet<string>(["general-query", "utrn-contact", "retrospective-amendment-request"], StringComparer.Ordinal);

    public bool CanEscalate => _levels.Count > 1 && !NeverEscalate.Contains(Code);

    public static BusinessProcess Create(string code, string name, Fuel fuel, IEnumerable<ProcessRoute> routes,
        IEnumerable<ResponseWindow?> levels, bool quickResponse = false, IEnumerable<BespokeFieldDefinition>? fields = null)
    {
        code = (code ?? string.Empty).Trim();
        DomainException.ThrowIf(code.Length is 0 or > 60 || !code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'),
            "A process code is 1-60 lower-case letters, digits or hyphens.");
        DomainException.ThrowIf(!Enum.IsDefined(fuel), "Choose the process's fuel.");
        var process = new BusinessProcess { Id = ProcessId.New(), Code = code, Fuel = fuel, QuickResponse = quickResponse };
        process.Rename(name);
        process._routes = routes.Distinct().ToList();
        DomainException.ThrowIf(process._routes.Count == 0, "A process needs at least one route between market roles.");
        process.ChangeLevels(levels);
        process.DefineBespokeFields(fields ?? []);
        process.Version = 0;
        return process;
    }

    public void Rename(string name)
    {
        name = (name ?? string.Empty).Trim();
        DomainException.ThrowIf(name.Length is 0 or > 120, "A process name is 1-120 characters.");
        Name = name;
        Version++;
    }

    /// <summary>Sets the escalation levels. A single-level process has no window; every level of a multi-level process has one.</summary>
    public void ChangeLevels(IEnumerable<ResponseWindow?> levels)
    {
        var list = levels.ToList();
        DomainException.ThrowIf(list.Count is < 1 or > 5, "A process has between 1 and 5 escalation levels.");
        DomainException.ThrowIf(list.Count > 1 && NeverEscalate.Contains(Code),
            $"{Name} cannot be escalated (spec 10.1(e)), so it has a single level.");
        DomainException.ThrowIf(list.Count > 1 && list.Any(l => l is null),
            "Every level of a process that can be escalated needs a response window.");
        _levels = list;
        Version++;
    }

    public void ChangeQuickResponse(bool quickResponse)
    {
        QuickResponse = quickResponse;
        Version++;
    }

    public void DefineBespokeFields(IEnumerable<BespokeFieldDefinition> fields)
    {
        var list = fields.ToList();
        DomainException.ThrowIf(list.Count > 20, "A process has at most 20 bespoke data items.");
        var duplicate = list.GroupBy(f => f.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        DomainException.ThrowIf(duplicate is not null, $"Two bespoke data items share the key '{duplicate?.Key}'.");
        _fields = list;
        Version++;
    }

    public ResponseWindow? WindowAt(int level)
    {
        DomainException.ThrowIf(level < 1 || level > TopLevel, $"{Name} has no escalation level {level}.");
        return _levels[level - 1];
    }

    /// <summary>True if an organisation holding this role takes part in the process at either end of some route.</summary>
    public bool Involves(MarketRole role) => _routes.Any(r => Matches(r.A, role) || Matches(r.B, role));

    /// <summary>True if a communication may be sent from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public bool AllowsRoute(MarketRole from, MarketRole to) =>
        _routes.Any(r => (Matches(r.A, from) && Matches(r.B, to)) || (Matches(r.B, from) && Matches(r.A, to)));

    private bool Matches(PartyKind kind, MarketRole role) => kind switch
    {
        PartyKind.Supplier => Fuel switch
        {
            Fuel.Electricity => role == MarketRole.ElectricitySupplier,
            Fuel.Gas => role == MarketRole.GasSupplier,
            _ => role.IsSupplier(),
        },
        PartyKind.Distributor => role.IsDistributor() && Fuel != Fuel.Gas,
        PartyKind.Any => role is not MarketRole.Mem,
        _ => false,
    };
}
