package postgres

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// roundTrips counts the statements and batches the store sends, each one
// round trip to the server (BEGIN and COMMIT included: pgx sends them as
// statements), so that a test and the benchmark can say what a page costs.
type roundTrips struct{ n atomic.Uint64 }

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	r.n.Add(1)
	return ctx
}

func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.n.Add(1)
	return ctx
}

func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// RoundTrips answers how many statements and batches the store has sent to the
// database since it opened.
func (s *Store) RoundTrips() uint64 { return s.trips.n.Load() }

// PoolSize answers the most connections the store opens (pool_max_conns in the
// database URL; pgx's default is the larger of 4 and the number of CPUs).
func (s *Store) PoolSize() int32 { return s.pool.Config().MaxConns }
