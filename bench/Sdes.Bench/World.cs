using System.Globalization;
using Sdes.Domain.Organisations;

namespace Sdes.Bench;

/// <summary>The organisations of the benchmark: one viewer organisation (a dual-fuel supplier whose queue is measured),
/// 22 other suppliers, the 14 DNOs and 3 IDNOs: 40 in all. Everything is derived from names, so a rerun finds the same
/// organisations in a cached database.</summary>
internal static class World
{
    public const string ViewerOrganisation = "Bench Viewer Energy";
    public const string ViewerUser = "Morgan Bench";
    public const int UsersPerOrganisation = 4;

    /// <summary>The fixed "now" of the data set: every date is relative to it, so a cached database and a fresh one agree.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Suppliers =
    [
        "Northwind Supply", "Aurora Power", "Bluebell Energy", "Cobalt Gas & Power", "Driftwood Energy", "Ember Utilities",
        "Fernleigh Power", "Granite Energy", "Harbour Gas", "Ivywood Energy", "Juniper Power", "Kingfisher Supply",
        "Larkspur Energy", "Millstone Gas", "Nettlebed Power", "Oakridge Energy", "Pebblebrook Supply", "Quayside Energy",
        "Rowan Power", "Saltmarsh Gas", "Thistle Energy", "Upland Power",
    ];

    private static readonly string[] DnoRegions =
    [
        "Eastern", "East Midlands", "London", "Merseyside", "Midlands", "Northern", "North Western", "Southern", "South Eastern",
        "South Wales", "South Western", "Yorkshire", "South Scotland", "North Scotland",
    ];

    private static readonly string[] Idnos = ["Meadow Utility Networks", "Sparrow Networks", "Vale Connections"];

    private static readonly string[] FirstNames =
    [
        "Alex", "Bethany", "Callum", "Dana", "Elliot", "Farah", "George", "Hannah", "Imran", "Jess", "Kieran", "Lucy", "Mohammed",
        "Niamh", "Owen", "Priya", "Rhys", "Sara", "Tom", "Zoe",
    ];

    private static readonly string[] LastNames =
    [
        "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis", "Morgan",
        "Nolan", "Owens", "Patel", "Quinn", "Roberts", "Smith", "Taylor", "Walker", "Young",
    ];

    public static IReadOnlyList<OrgSpec> Organisations()
    {
        var list = new List<OrgSpec>
        {
            new(ViewerOrganisation, OrgKind.Supplier,
                [(Mpid("E", 0), MarketRole.ElectricitySupplier, null), (Mpid("G", 0), MarketRole.GasSupplier, null)], 0),
        };
        for (var i = 0; i < Suppliers.Length; i++)
        {
            var n = i + 1;
            (string, MarketRole, string?)[] roles = (i % 7) switch
            {
                3 => [(Mpid("E", n), MarketRole.ElectricitySupplier, null)],
                5 => [(Mpid("G", n), MarketRole.GasSupplier, null)],
                _ => [(Mpid("E", n), MarketRole.ElectricitySupplier, null), (Mpid("G", n), MarketRole.GasSupplier, null)],
            };
            list.Add(new OrgSpec(Suppliers[i], OrgKind.Supplier, roles, 1.0 / Math.Pow(i + 1, 0.9)));
        }

        for (var i = 0; i < DnoRegions.Length; i++)
        {
            var id = (10 + i).ToString(CultureInfo.InvariantCulture);
            list.Add(new OrgSpec($"{DnoRegions[i]} Distribution", OrgKind.Distributor, [(Mpid("D", i), MarketRole.Dno, id)], 0.35));
        }

        for (var i = 0; i < Idnos.Length; i++)
        {
            var id = (24 + i).ToString(CultureInfo.InvariantCulture);
            list.Add(new OrgSpec(Idnos[i], OrgKind.Distributor, [(Mpid("I", i), MarketRole.Idno, id)], 0.08));
        }

        return list;
    }

    public static string UserName(int organisationIndex, int userIndex) =>
        organisationIndex == 0 && userIndex == 0
            ? ViewerUser
            : $"{FirstNames[(organisationIndex * 7 + userIndex * 3) % FirstNames.Length]} {LastNames[(organisationIndex * 5 + userIndex * 11) % LastNames.Length]}";

    /// <summary>Deterministic user ids (the benchmark needs no sign-in accounts, only the ids assignments and owners use).</summary>
    public static Guid UserId(string organisationName, int userIndex) => Rng.For(Rng.Hash(organisationName), userIndex).Guid();

    private static string Mpid(string prefix, int n) =>
        prefix + (char)('A' + (n / 676 % 26)) + (char)('A' + (n / 26 % 26)) + (char)('A' + (n % 26));
}

internal enum OrgKind
{
    Supplier,
    Distributor,
}

internal sealed record OrgSpec(string Name, OrgKind Kind, IReadOnlyList<(string Mpid, MarketRole Role, string? DistributorId)> Roles, double Weight);
