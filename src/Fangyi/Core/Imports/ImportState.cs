using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Fangyi.Core.Imports;

public enum ImportState
{
    Running,
    Done,
    Failed,
}
