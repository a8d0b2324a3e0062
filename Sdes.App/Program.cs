using Sdes.App.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets"),
});
builder.AddSdesInfrastructure();
builder.AddSdesApp();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UseSdes();
await app.RunAsync();
