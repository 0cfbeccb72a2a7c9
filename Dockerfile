# The ModelRunner runner image: `modelrunner serve` on :12434 (HTTP) and :11111 (silo traffic).
# Built from this repository; llama.cpp's prebuilt CPU libraries come from npm at build time.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN eng/fetch-llama.sh && dotnet publish cli/ModelRunner.Cli.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY --from=build /app /app
ENV MODEL_RUNNER_HOME=/var/lib/modelrunner \
    MODEL_RUNNER_HOST_ADDRESS=0.0.0.0
VOLUME /var/lib/modelrunner
EXPOSE 12434 11111
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/modelrunner.dll"]
CMD ["serve"]
