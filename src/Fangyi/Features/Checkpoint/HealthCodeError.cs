using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fangyi.Core.Identity;
using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

public enum HealthCodeError
{
    None,
    Malformed,
    Signature,
    Expired,
    NotYetValid,
}
