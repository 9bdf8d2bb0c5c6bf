using System.Data.Common;
using Dapper;

namespace Fangyi.Core.Storage;

/// <summary>Parameters onto a command of one's own (one read or written row by row, where Dapper would cost a command each).</summary>
public static class CommandParameters
{
    /// <summary>Adds one parameter per name, in order, for a command bound again row after row.</summary>
    public static DbParameter[] AddParameters(this DbCommand command, params string[] names) => names.Select(name => command.AddParameter(name, null)).ToArray();

    /// <summary>Adds a parameter with its value (null is NULL).</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        // Prefixed, or Microsoft.Data.Sqlite looks the name up four times per row; Npgsql takes either form.
        p.ParameterName = "@" + name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
        return p;
    }

    /// <summary>Adds what Dapper's parameters hold (a list from <see cref="DialectSql.InList{T}"/>, say) to a command of one's own.</summary>
    public static void AddParameters(this DbCommand command, DynamicParameters args)
    {
        foreach (var name in args.ParameterNames)
        {
            command.AddParameter(name, args.Get<object>(name));
        }
    }
}
