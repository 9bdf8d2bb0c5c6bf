using System.Collections.Concurrent;
using System.Formats.Cbor;
using System.Security.Cryptography;

namespace Fangyi.Core.Codes;

public enum CodeKind
{
    Citizen = 1,   // 市民码
    Pass = 2,      // 通行证
}
