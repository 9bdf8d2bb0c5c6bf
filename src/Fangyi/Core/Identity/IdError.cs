namespace Fangyi.Core.Identity;

/// <summary>Why an identity number was refused; each has a stable code and a Chinese sentence.</summary>
public enum IdError
{
    None,
    Empty,
    Length,
    Characters,
    Region,
    BirthDate,
    CheckCharacter,
    DocumentFormat,
}
