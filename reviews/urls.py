from django.urls import path

from reviews.views import reviewer, workbench

app_name = "reviews"

urlpatterns = [
    path("review/", reviewer.queue, name="queue"),
    path("review/mine/", reviewer.my_tasks, name="my_tasks"),
    path("review/team/", reviewer.team_work, name="team"),
    path("review/bulk/", workbench.bulk, name="bulk"),
    path("review/dashboard/", workbench.dashboard, name="dashboard"),
    path(
        "review/applications/export.csv",
        workbench.applications_export,
        name="applications_export",
    ),
    path("review/roster.csv", workbench.roster_export, name="roster_export"),
    path("review/exports/", workbench.exports, name="exports"),
    path("review/exports/<int:pk>/download/", workbench.export_download, name="export_download"),
    path("review/applications/", reviewer.application_list, name="applications"),
    path("review/applications/<int:pk>/", reviewer.application_page, name="application"),
    path("review/applications/<int:pk>/notes/", workbench.note_add, name="note_add"),
    path("review/tasks/<int:task_pk>/", reviewer.decide, name="decide"),
    path("review/tasks/<int:task_pk>/claim/", reviewer.claim, name="claim"),
    path("review/tasks/<int:task_pk>/release/", reviewer.release, name="release"),
]
