using System.ComponentModel.DataAnnotations;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.App.Features.Admin;

public sealed class NewUserForm
{
    [Required(ErrorMessage = "Enter the person's name.")]
    [StringLength(120, MinimumLength = 2, ErrorMessage = "A name is 2 to 120 characters.")]
    public string DisplayName { get; set; } = string.Empty;

    [Required(ErrorMessage = "Enter their work email address; it will be their username.")]
    [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
    [StringLength(254, ErrorMessage = "An email address is at most 254 characters.")]
    public string Email { get; set; } = string.Empty;

    public bool GrantAdmin { get; set; }
}

public sealed class NewOrganisationForm
{
    [Required(ErrorMessage = "Enter the organisation's name.")]
    [StringLength(120, MinimumLength = 2, ErrorMessage = "A name is 2 to 120 characters.")]
    public string Name { get; set; } = string.Empty;

    public List<RoleForm> Roles { get; set; } = [new()];
}

public sealed class RoleForm
{
    [Required(ErrorMessage = "Enter the MPID.")]
    [RegularExpression("^[A-Za-z]{4}$", ErrorMessage = "An MPID is four letters.")]
    public string Mpid { get; set; } = string.Empty;

    public MarketRole Role { get; set; } = MarketRole.ElectricitySupplier;

    [RegularExpression("^[0-9]{2}$", ErrorMessage = "A distributor id is two digits.")]
    public string? DistributorId { get; set; }

    public MarketParticipantRole ToDomain() => MarketParticipantRole.Create(Domain.Organisations.Mpid.Create(Mpid), Role,
        Role.IsDistributor() ? Domain.Organisations.DistributorId.Create(DistributorId) : null);
}

public sealed class ProcessForm
{
    [Required(ErrorMessage = "Enter the process name.")]
    [StringLength(120, MinimumLength = 1, ErrorMessage = "A process name is 1 to 120 characters.")]
    public string Name { get; set; } = string.Empty;

    public bool QuickResponse { get; set; }

    public List<LevelForm> Levels { get; set; } = [];

    public List<FieldForm> Fields { get; set; } = [];
}

public sealed class LevelForm
{
    public bool HasWindow { get; set; } = true;

    [Range(1, 365, ErrorMessage = "A response window is 1 to 365.")]
    public int Amount { get; set; } = 5;

    public WindowUnit Unit { get; set; } = WindowUnit.WorkingDays;
}

public sealed class FieldForm
{
    [Required(ErrorMessage = "Enter a key.")]
    [RegularExpression("^[a-z0-9-]{1,40}$", ErrorMessage = "A key is 1-40 lower-case letters, digits or hyphens.")]
    public string Key { get; set; } = string.Empty;

    [Required(ErrorMessage = "Enter a label.")]
    [StringLength(80, ErrorMessage = "A label is at most 80 characters.")]
    public string Label { get; set; } = string.Empty;

    public BespokeFieldType Type { get; set; } = BespokeFieldType.Text;

    public bool Required { get; set; }

    /// <summary>Choice options, one per line.</summary>
    [StringLength(2000)]
    public string Choices { get; set; } = string.Empty;
}

/// <summary>The server re-checks every form's annotations: a client that skips the browser's validation changes nothing.</summary>
public static class FormValidation
{
    public static void Validate(object form)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(form, new ValidationContext(form), results, validateAllProperties: true))
        {
            throw new DomainException(results[0].ErrorMessage ?? "Check the form and try again.");
        }
    }
}
