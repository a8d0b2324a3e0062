namespace Sdes.Domain.Organisations;

public enum MarketRole
{
    ElectricitySupplier,
    GasSupplier,
    Dno,
    Idno,
    Mem,
    CodeManager,
}

public static class MarketRoleExtensions
{
    public static string DisplayName(this MarketRole role) => role switch
    {
        MarketRole.ElectricitySupplier => "Electricity Supplier",
        MarketRole.GasSupplier => "Gas Supplier",
        MarketRole.Dno => "DNO",
        MarketRole.Idno => "IDNO",
        MarketRole.Mem => "Meter Equipment Manager",
        MarketRole.CodeManager => "Code Manager",
        _ => role.ToString(),
    };

    public static bool IsDistributor(this MarketRole role) => role is MarketRole.Dno or MarketRole.Idno;

    public static bool IsSupplier(this MarketRole role) => role is MarketRole.ElectricitySupplier or MarketRole.GasSupplier;
}
