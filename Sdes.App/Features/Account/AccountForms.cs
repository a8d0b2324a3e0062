using System.ComponentModel.DataAnnotations;

namespace Sdes.App.Features.Account;

public sealed class SignInForm
{
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
    [StringLength(254, ErrorMessage = "An email address is at most 254 characters.")]
    public string Email { get; set; } = string.Empty;

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(128, ErrorMessage = "A password is at most 128 characters.")]
    public string Password { get; set; } = string.Empty;
}

public class NewPasswordForm
{
    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(128, MinimumLength = 12, ErrorMessage = "Use 12 to 128 characters.")]
    public string NewPassword { get; set; } = string.Empty;

    [Required(ErrorMessage = "Type the new password again.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two passwords do not match.")]
    public string ConfirmPassword { get; set; } = string.Empty;
}

public sealed class ChangePasswordForm : NewPasswordForm
{
    [Required(ErrorMessage = "Enter your current password.")]
    [StringLength(128)]
    public string CurrentPassword { get; set; } = string.Empty;
}

public static class LocalUrl
{
    /// <summary>Only same-site paths are followed after sign-in; anything else goes home (no open redirect).</summary>
    public static string OrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.StartsWith("/\\", StringComparison.Ordinal) && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/";
}
