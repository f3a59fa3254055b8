from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "teams"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.matchmaking, name="matchmaking"),
    path("mine/", views.my_teams, name="mine"),
    path("new/", views.team_create, name="create"),
    path("looking/", views.seeker, name="seeker"),
    path("looking/<int:seeker_pk>/withdraw/", views.seeker_withdraw, name="seeker_withdraw"),
    path("invitations/<slug:token>/", views.invitation, name="invitation"),
    path("invitations/<slug:token>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<slug:token>/decline/", views.invitation_decline, name="invitation_decline"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("<int:pk>/edit/", views.team_edit, name="edit"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:pk>/join/", views.join, name="join"),
    path(
        "<int:pk>/requests/<int:request_pk>/approve/",
        views.join_request_approve,
        name="join_request_approve",
    ),
    path(
        "<int:pk>/requests/<int:request_pk>/reject/",
        views.join_request_reject,
        name="join_request_reject",
    ),
    path(
        "<int:pk>/requests/<int:request_pk>/withdraw/",
        views.join_request_withdraw,
        name="join_request_withdraw",
    ),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/lead/", views.transfer_lead, name="transfer_lead"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/postings/", views.posting_create, name="posting_create"),
    path("<int:pk>/postings/<int:posting_pk>/close/", views.posting_close, name="posting_close"),
]
