namespace Sdes.Domain.Processes;

public enum Fuel
{
    Electricity,
    Gas,
    Dual,
}

/// <summary>Which kind of party may take part at one end of a process route.</summary>
public enum PartyKind
{
    /// <summary>A supplier of the process's fuel (either fuel for dual-fuel processes).</summary>
    Supplier,

    /// <summary>A DNO or IDNO.</summary>
    Distributor,

    /// <summary>Any SDEP party: suppliers, DNOs, IDNOs and the Code Manager.</summary>
    Any,
}

/// <summary>Communications may pass between these two kinds of party, in either direction.</summary>
public sealed record ProcessRoute(PartyKind A, PartyKind B);

public enum WindowUnit
{
    WorkingDays,
    OperationalHours,
}

/// <summary>How long the recipient at a level has to respond, in working days or operational hours.</summary>
public sealed record ResponseWindow
{
    private ResponseWindow(int amount, WindowUnit unit)
    {
        Amount = amount;
        Unit = unit;
    }

    public int Amount { get; }
    public WindowUnit Unit { get; }

    public static ResponseWindow Create(int amount, WindowUnit unit)
    {
        Common.DomainException.ThrowIf(amount is < 1 or > 365, "A response window is between 1 and 365 working days or operational hours.");
        Common.DomainException.ThrowIf(!Enum.IsDefined(unit), "Choose working days or operational hours for the response window.");
        return new ResponseWindow(amount, unit);
    }

    public static ResponseWindow WorkingDays(int n) => Create(n, WindowUnit.WorkingDays);
    public static ResponseWindow OperationalHours(int n) => Create(n, WindowUnit.OperationalHours);

    public override string ToString() => Unit == WindowUnit.WorkingDays
        ? $"{Amount} working day{(Amount == 1 ? "" : "s")}"
        : $"{Amount} operational hour{(Amount == 1 ? "" : "s")}";
}
