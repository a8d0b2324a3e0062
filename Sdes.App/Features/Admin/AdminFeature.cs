namespace Sdes.App.Features.Admin;

public static class AdminFeature
{
    public static IServiceCollection AddAdminFeature(this IServiceCollection services) => services
        .AddSingleton<AdminOperation>()
        .AddSingleton<AccountSetupMailer>()
        .AddSingleton<AccountProvisioning>()
        .AddSingleton<UserAdministration>()
        .AddSingleton<InactiveUsers>()
        .AddSingleton<OrganisationAdministration>()
        .AddSingleton<ProcessCatalogueAdministration>()
        .AddSingleton<Home.HomeQueries>()
        .AddSingleton<Audit.AuditQueries>()
        .AddSingleton<Operator.EmailDelivery>();
}
