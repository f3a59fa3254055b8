"""The admin for mentor profiles, slots, bookings and calendar feeds."""
