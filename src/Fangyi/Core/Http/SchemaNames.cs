using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;

namespace Fangyi.Core.Http;

/// <summary>
/// The OpenAPI document's schema names. The generator names a schema after its type's short name, so two types of one
/// name would share one component and one of them be described as the other (the checkpoint's place and the
/// dashboard's division node once were). A name two types of the API share is prefixed with each type's capability
/// (the last part of its namespace, as in <c>CheckpointPlace</c>); every other name is the generator's.
/// </summary>
public sealed class SchemaNames(IServiceProvider services)
{
    private Dictionary<Type, string>? _shared;

    public string? IdOf(JsonTypeInfo info)
    {
        var name = OpenApiOptions.CreateDefaultSchemaReferenceId(info);
        return name is not null && Shared().TryGetValue(info.Type, out var qualified) ? qualified : name;
    }

    // Worked out once, on the first document: by then every endpoint is mapped.
    private Dictionary<Type, string> Shared() => LazyInitializer.EnsureInitialized(ref _shared, Find);

    private Dictionary<Type, string> Find()
    {
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var named = new Dictionary<string, HashSet<Type>>(StringComparer.Ordinal);
        foreach (var type in ApiTypes(services, json))
        {
            if (OpenApiOptions.CreateDefaultSchemaReferenceId(json.GetTypeInfo(type)) is { } name)
            {
                (named.TryGetValue(name, out var types) ? types : named[name] = []).Add(type);
            }
        }
        var shared = new Dictionary<Type, string>();
        foreach (var (name, types) in named.Where(n => n.Value.Count > 1))
        {
            foreach (var type in types)
            {
                shared[type] = (type.Namespace?.Split('.')[^1] ?? "") + name;
            }
            if (types.Select(t => shared[t]).Distinct(StringComparer.Ordinal).Count() < types.Count)
            {
                throw new InvalidOperationException($"Types of one capability share the schema name {name}: {string.Join(", ", types)}");
            }
        }
        return shared;
    }

    /// <summary>
    /// The object types the API reads or writes: parameters, bodies and answers (with the shapes declared by
    /// <see cref="OpenApiContract.ProducesOneOf"/>), and the types of their properties, items and type arguments.
    /// </summary>
    public static IEnumerable<Type> ApiTypes(IServiceProvider services, System.Text.Json.JsonSerializerOptions json)
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>();
        foreach (var description in services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items.SelectMany(g => g.Items))
        {
            foreach (var type in description.ParameterDescriptions.Select(p => p.Type)
                .Concat(description.SupportedResponseTypes.Select(r => r.Type))
                .Concat(description.ActionDescriptor.EndpointMetadata.OfType<OpenApiContract.ResponseShapes>().SelectMany(s => s.Types)))
            {
                if (type is not null)
                {
                    pending.Push(type);
                }
            }
        }
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type == typeof(object) || type == typeof(void) || type.ContainsGenericParameters || typeof(IResult).IsAssignableFrom(type) || !found.Add(type))
            {
                continue;
            }
            JsonTypeInfo info;
            try
            {
                info = json.GetTypeInfo(type);
            }
            catch (NotSupportedException)
            {
                continue; // not JSON: a form file, a stream
            }
            if (info.Kind == JsonTypeInfoKind.Object)
            {
                yield return type;
                foreach (var property in info.Properties)
                {
                    pending.Push(property.PropertyType);
                }
            }
            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }
        }
    }
}
