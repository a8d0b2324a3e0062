namespace Sdes.App.Features.Attachments;

public static class AttachmentsFeature
{
    public static IServiceCollection AddAttachmentsFeature(this IServiceCollection services) => services
        .AddSingleton<AttachmentUploads>()
        .AddSingleton<AttachmentDownloads>();
}
