namespace Fangyi.Features.Residents;

/// <summary>The names resident ciphertexts are bound to (with the row's look-up hash), so none opens in another field or row.</summary>
public static class Fields
{
    public const string IdNumber = "id";
    public const string Phone = "phone";
}
