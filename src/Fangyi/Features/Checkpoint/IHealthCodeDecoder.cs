using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fangyi.Core.Identity;
using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

/// <summary>
/// Reads one province's health-code QR format. The checkpoint picks the decoder by the text's prefix; supporting
/// another province is one more class implementing this, registered beside <see cref="Hb1HealthCodes"/>.
/// </summary>
public interface IHealthCodeDecoder
{
    /// <summary>The text a code of this format starts with, e.g. "HB1:".</summary>
    string Prefix { get; }

    /// <summary>Whose codes these are, for logs and answers (河北).</summary>
    string Province { get; }

    (HealthCodeError Error, HealthCodeClaims? Claims) Decode(string text, DateTimeOffset now);
}
