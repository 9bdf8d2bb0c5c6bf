namespace Fangyi.Core.Ingest;

public sealed class IngestUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
