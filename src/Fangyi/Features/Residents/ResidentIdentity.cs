using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;

namespace Fangyi.Features.Residents;

public sealed record ResidentIdentity(long Id, string DocType, string IdNumber, string? Phone, long Division);
