namespace Sdes.Domain.Processes;

/// <summary>The seeded SDEP business process catalogue (DOMAIN.md; SDEP briefing slide 8; spec 10.1(e), fn 5).
/// Response windows are our defaults until the Data Specification gives others; the service operator can change them.</summary>
public static class ProcessCatalogue
{
    private static readonly ProcessRoute SupplierToSupplier = new(PartyKind.Supplier, PartyKind.Supplier);
    private static readonly ProcessRoute SupplierToDistributor = new(PartyKind.Supplier, PartyKind.Distributor);

    public static IReadOnlyList<BusinessProcess> Default() =>
    [
        Multi("erroneous-transfers", "Erroneous Transfers", Fuel.Dual, [SupplierToSupplier], 3, ResponseWindow.WorkingDays(5),
            fields:
            [
                BespokeFieldDefinition.Create("mpan", "MPAN", BespokeFieldType.Mpan, required: false),
                BespokeFieldDefinition.Create("mprn", "MPRN", BespokeFieldType.Mprn, required: false),
                BespokeFieldDefinition.Create("transfer-date", "Transfer date", BespokeFieldType.Date, required: true),
                BespokeFieldDefinition.Create("customer-name", "Customer name", BespokeFieldType.Text, required: true),
            ]),
        Multi("disputed-cos-readings", "Disputed Change of Supplier Meter Readings", Fuel.Dual, [SupplierToSupplier], 3, ResponseWindow.WorkingDays(5),
            fields:
            [
                BespokeFieldDefinition.Create("mpan", "MPAN", BespokeFieldType.Mpan, required: false),
                BespokeFieldDefinition.Create("mprn", "MPRN", BespokeFieldType.Mprn, required: false),
                BespokeFieldDefinition.Create("cos-date", "Change of supply date", BespokeFieldType.Date, required: true),
            ]),
        Multi("customer-requested-objections", "Customer Requested Objections", Fuel.Dual, [SupplierToSupplier], 2, ResponseWindow.WorkingDays(2)),
        Multi("debt-assignment-protocol", "Debt Assignment Protocol", Fuel.Dual, [SupplierToSupplier], 2, ResponseWindow.WorkingDays(5),
            fields: [BespokeFieldDefinition.Create("debt-amount", "Debt amount", BespokeFieldType.Money, required: true)]),
        Multi("prepayment-misdirected-payments", "Prepayment Misdirected Payments", Fuel.Dual, [SupplierToSupplier], 2, ResponseWindow.WorkingDays(5),
            fields: [BespokeFieldDefinition.Create("payment-amount", "Payment amount", BespokeFieldType.Money, required: true)]),
        Multi("smart-ppm-cos-exceptions", "Smart Prepayment Change of Supply Exceptions", Fuel.Dual, [SupplierToSupplier], 3, ResponseWindow.OperationalHours(3),
            quickResponse: true,
            fields:
            [
                BespokeFieldDefinition.Create("exception-type", "Exception type", BespokeFieldType.Choice, required: true,
                    ["Credit balance", "Debt balance", "Emergency credit", "Other"]),
            ]),
        Multi("contract-manager-queries", "Contract Manager Queries", Fuel.Dual, [SupplierToSupplier, SupplierToDistributor], 2, ResponseWindow.WorkingDays(5)),
        Multi("electricity-disconnections", "Electricity Disconnections", Fuel.Electricity, [SupplierToDistributor], 2, ResponseWindow.WorkingDays(2),
            fields: [BespokeFieldDefinition.Create("mpan", "MPAN", BespokeFieldType.Mpan, required: true)]),
        Multi("mp-address-management", "Metering Point Address Management", Fuel.Electricity, [SupplierToDistributor], 2, ResponseWindow.WorkingDays(10),
            fields: [BespokeFieldDefinition.Create("mpan", "MPAN", BespokeFieldType.Mpan, required: true)]),
        Multi("retrospective-mpad-amendments", "Retrospective MPAD Amendments (MAP04)", Fuel.Electricity, [SupplierToDistributor], 2, ResponseWindow.WorkingDays(10),
            fields:
            [
                BespokeFieldDefinition.Create("mpan", "MPAN", BespokeFieldType.Mpan, required: true),
                BespokeFieldDefinition.Create("effective-date", "Effective from", BespokeFieldType.Date, required: true),
            ]),
        Multi("crossed-meters-gas", "Crossed Meters (gas)", Fuel.Gas, [SupplierToSupplier], 2, ResponseWindow.WorkingDays(5),
            fields: [BespokeFieldDefinition.Create("mprn", "MPRN", BespokeFieldType.Mprn, required: true)]),
        Multi("duplicate-meter-points", "Duplicate Meter Points", Fuel.Gas, [SupplierToSupplier], 2, ResponseWindow.WorkingDays(5),
            fields: [BespokeFieldDefinition.Create("mprn", "MPRN", BespokeFieldType.Mprn, required: true)]),
        Single("general-query", "General Query", Fuel.Dual, new ProcessRoute(PartyKind.Any, PartyKind.Any)),
        Single("utrn-contact", "UTRN Contact", Fuel.Dual, SupplierToSupplier),
        Single("retrospective-amendment-request", "Retrospective Amendment Request", Fuel.Electricity, SupplierToDistributor),
    ];

    private static BusinessProcess Multi(string code, string name, Fuel fuel, ProcessRoute[] routes, int levels, ResponseWindow window,
        bool quickResponse = false, BespokeFieldDefinition[]? fields = null) =>
        BusinessProcess.Create(code, name, fuel, routes, Enumerable.Repeat<ResponseWindow?>(window, levels), quickResponse, fields);

    private static BusinessProcess Single(string code, string name, Fuel fuel, ProcessRoute route) =>
        BusinessProcess.Create(code, name, fuel, [route], [null]);
}
