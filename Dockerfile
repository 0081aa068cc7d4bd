# Multi-stage build: a static, cgo-free binary (templates, static files and
# migrations are embedded) in a minimal image that runs as a non-root user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/trangtin ./cmd/trangtin

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/trangtin /usr/local/bin/trangtin
USER 65532:65532
ENV TRANGTIN_DATA_DIR=/tmp/trangtin
EXPOSE 8080 9090
ENTRYPOINT ["/usr/local/bin/trangtin"]
CMD ["serve"]
