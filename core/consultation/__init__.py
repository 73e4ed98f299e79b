"""Consultation (协商): procedures, the catalogue, topics, subjects, meetings,
outcomes, votes, attachments, the dashboard and archives."""
