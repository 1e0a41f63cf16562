package domain

import "time"

// Session is a customer's signed-in session, stored server-side under a hash of
// its cookie token so that a copy of the data folder opens no session.
type Session struct {
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}
