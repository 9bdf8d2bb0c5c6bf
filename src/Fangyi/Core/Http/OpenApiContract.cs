using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Fangyi.Core.Http;

/// <summary>
/// What the OpenAPI document cannot learn from a handler's signature, declared beside the route: a download's
/// media types, an answer that is one of several shapes. And a fix for what the request converters hide.
/// </summary>
public static class OpenApiContract
{
    /// <summary>The shapes an endpoint's answer may take for a status (<see cref="ProducesOneOf"/>), for checks of the document.</summary>
    public sealed record ResponseShapes(int Status, IReadOnlyList<Type> Types);

    // Per document being built: schema name → the type a reference to it was made for. The components are added once
    // the document is complete, where the generator has not added them itself.
    private static readonly ConditionalWeakTable<OpenApiDocument, ConcurrentDictionary<string, Type>> Promised = [];

    /// <summary>
    /// The document's own rules, beside <c>AddOpenApi()</c>: schema names that no two types share
    /// (<see cref="SchemaNames"/>), and list answers documented as arrays.
    /// </summary>
    /// <remarks>
    /// A <c>List&lt;T&gt;</c> is read by <see cref="NoNullItemsConverterFactory"/>, and a type with a converter of its
    /// own is an empty schema to the generator: every list answer said <c>{}</c>. Answers (not requests, whose schemas
    /// stay as published) are documented as the arrays of T they are.
    /// </remarks>
    public static IServiceCollection AddOpenApiContract(this IServiceCollection services)
    {
        services.AddSingleton<SchemaNames>();
        // Every document (name null): the names and the list answers hold for any version of the API.
        services.AddSingleton<IConfigureOptions<OpenApiOptions>>(sp => new ConfigureNamedOptions<OpenApiOptions, SchemaNames>(null, sp.GetRequiredService<SchemaNames>(), Configure));
        return services;
    }

    private static void Configure(OpenApiOptions options, SchemaNames names)
    {
        options.CreateSchemaReferenceId = names.IdOf;
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            foreach (var answer in context.Description.SupportedResponseTypes)
            {
                if (answer.Type is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(List<>)
                    && operation.Responses?.GetValueOrDefault(answer.StatusCode.ToString(CultureInfo.InvariantCulture)) is OpenApiResponse { Content: { } content })
                {
                    var items = await SchemaAsync(type.GetGenericArguments()[0], context, ct);
                    foreach (var (_, media) in content.Where(m => m.Key.Contains("json", StringComparison.Ordinal)))
                    {
                        media.Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = items };
                    }
                }
            }
        });
        options.AddDocumentTransformer(async (document, context, ct) =>
        {
            foreach (var (name, type) in Promised.TryGetValue(document, out var promised) ? promised : [])
            {
                if (document.Components?.Schemas?.ContainsKey(name) != true)
                {
                    document.AddComponent(name, await context.GetOrCreateSchemaAsync(type, null, ct));
                }
            }
        });
    }

    /// <summary>A download: the endpoint's success answer is a file of one of these media types (beside any JSON it declares).</summary>
    public static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder endpoint, params string[] mediaTypes) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var response = Response(operation, StatusCodes.Status200OK);
            foreach (var media in mediaTypes)
            {
                response.Content![media] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            }
            return Task.CompletedTask;
        });

    /// <summary>
    /// An answer that is one of several shapes for one status (a scan answers with the box, the tube, the person added
    /// or the result, by its action), written as it was stored rather than through a typed result.
    /// </summary>
    public static RouteHandlerBuilder ProducesOneOf(this RouteHandlerBuilder endpoint, int status, params Type[] shapes) =>
        endpoint.WithMetadata(new ResponseShapes(status, shapes)).AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var choices = new List<IOpenApiSchema>();
            foreach (var shape in shapes)
            {
                choices.Add(await SchemaAsync(shape, context, ct));
            }
            Response(operation, status).Content!["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchema { AnyOf = choices } };
        });

    private static OpenApiResponse Response(OpenApiOperation operation, int status)
    {
        operation.Responses ??= [];
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses.GetValueOrDefault(key) is not OpenApiResponse response)
        {
            response = new OpenApiResponse { Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) };
            operation.Responses[key] = response;
        }
        response.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
        return response;
    }

    // A reference to the type's component, named as the generator names it, or the schema itself for a type without one.
    private static async Task<IOpenApiSchema> SchemaAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var options = context.ApplicationServices.GetRequiredService<IOptionsMonitor<OpenApiOptions>>().Get(context.DocumentName);
        var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        if (options.CreateSchemaReferenceId(json.GetTypeInfo(type)) is not { } name || context.Document is null)
        {
            return await context.GetOrCreateSchemaAsync(type, null, ct);
        }
        Promised.GetOrCreateValue(context.Document).TryAdd(name, type);
        return new OpenApiSchemaReference(name, context.Document);
    }
}
