namespace Fangyi.Features.Checkpoint;

// Reads one province's health-code QR format. The checkpoint picks the decoder by the text's prefix; supporting
// another province is one more class implementing this, registered beside Hb1HealthCodes.
public interface IHealthCodeDecoder
{
    // The text a code of this format starts with, e.g. "HB1:".
    string Prefix { get; }

    // Whose codes these are, for logs and answers (河北).
    string Province { get; }

    (HealthCodeError Error, HealthCodeClaims? Claims) Decode(string text, DateTimeOffset now);
}
